/**
 * One deployed version of a service: its Deployment, its autoscaler (a HorizontalPodAutoscaler on CPU and memory, or a
 * KEDA ScaledObject on the request rate when the service sets `autoscaling.requestsPerSecond`) and PodDisruptionBudget.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { servicePodSelector, versionLabels, versionSelector } from '../description/names/labels';
import { workloadName } from '../description/names/workloads';
import { isProgressive } from '../description/delivery-schema';
import { EXTERNAL_SECRETS } from '../description/names/validator';
import type { PlatformSpec, ServiceSpec, VersionSpec } from '../description/types';
import { RequestRateScaler } from '../observability/load-scaling';
import { podTemplate } from './pod-template';

/** Props of `ServiceVersion`. */
export interface ServiceVersionProps {
  /** The resolved platform. */
  readonly platform: PlatformSpec;
  /** The service this version belongs to. */
  readonly service: ServiceSpec;
  /** The version. */
  readonly version: VersionSpec;
}

/** A Deployment scaled by an autoscaler (so it omits `spec.replicas`) and protected by a PDB that always allows one eviction. */
export class ServiceVersion extends Construct {
  /** Name of the Deployment (also of its HPA and PDB). */
  readonly deploymentName: string;

  constructor(scope: Construct, id: string, props: ServiceVersionProps) {
    super(scope, id);
    const { platform, service, version } = props;
    // Progressive: the one Deployment Flagger wraps, named after the service (its primary becomes `<name>-primary`).
    const progressive = isProgressive(service);
    const name = workloadName(service, version.name);
    const metadata = { name, namespace: platform.namespace, labels: versionLabels(platform, service.name, service.component, version.name) };
    // The Secrets the pods mount are created by the deployment (Pulumi), the service's own unless this environment
    // supplies its values, and its database URL always.
    const external = [
      ...(service.secret && !service.secret.values ? [service.secret.name] : []),
      ...(service.database ? [service.database.secretName] : []),
    ];
    const externalSecret = external.length > 0 ? { [EXTERNAL_SECRETS]: external.join(',') } : undefined;
    const selector = { matchLabels: versionSelector(service.name, version.name) };
    this.deploymentName = name;

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { ...metadata, annotations: externalSecret },
      spec: {
        // No `replicas`: the HPA owns it, and server-side apply would otherwise reset it on every deploy.
        selector,
        revisionHistoryLimit: 5,
        progressDeadlineSeconds: 600,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: intOrString(service.rollout.maxSurge), maxUnavailable: intOrString(service.rollout.maxUnavailable) },
        },
        template: podTemplate(platform, service, version),
      },
    });

    if (service.autoscaling.requestsPerSecond !== undefined) {
      new RequestRateScaler(this, 'Autoscaler', { platform, service, version, metadata, scaleDown: scaleDownBehavior(service) });
    } else {
      horizontalPodAutoscaler(this, service, metadata);
    }

    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata,
      spec: {
        // Progressive: all of the service's pods, Flagger's primary (`app: <name>-primary`) and the canary's.
        selector: progressive ? { matchLabels: servicePodSelector(service) } : selector,
        // maxUnavailable (not minAvailable) so that a drain can always evict one pod, even at one replica.
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}

/** How every autoscaler of a version scales down: after the stabilization window, at most half the pods a minute. */
function scaleDownBehavior(service: ServiceSpec) {
  return { stabilizationWindowSeconds: service.autoscaling.scaleDownStabilizationSeconds, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] };
}

/** The HPA on CPU and memory utilization. */
function horizontalPodAutoscaler(scope: Construct, service: ServiceSpec, metadata: { name: string; namespace: string; labels: Record<string, string> }): void {
  const { minReplicas, maxReplicas, cpuUtilization, memoryUtilization } = service.autoscaling;
  const utilization = (resource: string, averageUtilization: number): k8s.MetricSpecV2 => ({
    type: 'Resource',
    resource: { name: resource, target: { type: 'Utilization', averageUtilization } },
  });
  new k8s.KubeHorizontalPodAutoscalerV2(scope, 'Autoscaler', {
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: metadata.name },
      minReplicas,
      maxReplicas,
      metrics: [utilization('cpu', cpuUtilization), utilization('memory', memoryUtilization)],
      behavior: { scaleDown: scaleDownBehavior(service) },
    },
  });
}

function intOrString(value: number | string): k8s.IntOrString {
  return typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(value);
}
