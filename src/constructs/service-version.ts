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
import { RequestRateScaler } from '../observability/load-scaling';
import type { ScaledObject } from '../../imports/keda.sh';
import { resolveVersion, resolveWorkload, type ServiceVersionProps, type Workload } from './microservice-props';
import { podTemplate } from './pod-template';
import { propsContext } from './placement';

/**
 * A Deployment scaled by an autoscaler (so it omits `spec.replicas`) and protected by a PDB that always allows one
 * eviction. `Microservice` creates one per version; on its own it adds a version to a service deployed elsewhere.
 *
 * @example
 * const v2 = new ServiceVersion(chart, 'orders-v2', { name: 'orders', version: { name: 'v2', image: 'registry.example.com/orders:2.0.0' } });
 * v2.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'high'));
 */
export class ServiceVersion extends Construct {
  /** Name of the Deployment (also of its autoscaler and PDB). */
  readonly deploymentName: string;
  /** The Deployment. */
  readonly deployment: k8s.KubeDeployment;
  /** The CPU and memory autoscaler; undefined when the version scales on its request rate (`scaledObject`). */
  readonly horizontalPodAutoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The KEDA ScaledObject of `autoscaling.requestsPerSecond`; undefined otherwise. */
  readonly scaledObject?: ScaledObject;
  /** The PodDisruptionBudget. */
  readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: ServiceVersionProps) {
    super(scope, id);
    const context = propsContext(this, 'ServiceVersion', props);
    const service = resolveWorkload(context, props);
    const version = resolveVersion(context, props.version);
    const { platform } = service;
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

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
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
        template: podTemplate(service, version),
      },
    });

    const { prometheus } = service.observability;
    if (service.autoscaling.requestsPerSecond !== undefined && prometheus) {
      const scaler = new RequestRateScaler(this, 'Autoscaler', { platform, prometheus, service, version, metadata, scaleDown: scaleDownBehavior(service) });
      this.scaledObject = scaler.scaledObject;
    } else {
      this.horizontalPodAutoscaler = horizontalPodAutoscaler(this, service, metadata);
    }

    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
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
function scaleDownBehavior(service: Workload) {
  return { stabilizationWindowSeconds: service.autoscaling.scaleDownStabilizationSeconds, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] };
}

/** The HPA on CPU and memory utilization. */
function horizontalPodAutoscaler(scope: Construct, service: Workload, metadata: { name: string; namespace: string; labels: Record<string, string> }) {
  const { minReplicas, maxReplicas, cpuUtilization, memoryUtilization } = service.autoscaling;
  const utilization = (resource: string, averageUtilization: number): k8s.MetricSpecV2 => ({
    type: 'Resource',
    resource: { name: resource, target: { type: 'Utilization', averageUtilization } },
  });
  return new k8s.KubeHorizontalPodAutoscalerV2(scope, 'Autoscaler', {
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
