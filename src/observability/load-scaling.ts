/**
 * Load-based scaling: a KEDA ScaledObject that scales one version's Deployment on its request rate, read from
 * Prometheus, in place of the CPU and memory HorizontalPodAutoscaler (KEDA creates and owns an HPA of its own,
 * `keda-hpa-<name>`). KEDA rather than Prometheus Adapter, which its maintainers are retiring in KEDA's favour.
 */
import { Construct } from 'constructs';
import { ScaledObject } from '../../imports/keda.sh';
import type { PlatformSpec, ServiceSpec, VersionSpec } from '../description/types';
import type { PlatformIdentity } from '../description/names/workloads';
import { queryTarget, scalingRequestRate } from './queries';
import { isProgressive } from '../description/delivery-schema';
import { WORKLOAD_LABEL } from '../description/names/labels';

/** What the scaler reads of a service. */
export type ScaledService = Pick<ServiceSpec, 'name' | 'health' | 'delivery' | 'autoscaling'>;

/** Name of the request-rate trigger of a progressive service's ScaledObject (the Canary's `primaryScalerQueries` key). */
export const REQUEST_RATE_TRIGGER = 'request-rate';

/**
 * The request rate one workload scales on: the version's, and under progressive delivery only the pods of `workload`
 * (the canary's Deployment, or Flagger's `<name>-primary`), told apart by the `app` label Flagger rewrites. Flagger
 * would otherwise rewrite every `<name>` in the query to `<name>-primary`, the `service` label's value included.
 */
export function versionRequestRate(platform: PlatformIdentity, service: ScaledService, version: Pick<VersionSpec, 'name'>, workload: string): string {
  const pods = isProgressive(service) ? { pods: [{ label: WORKLOAD_LABEL, op: '=' as const, value: workload }] } : {};
  return scalingRequestRate({ ...queryTarget(platform, service), version: version.name, ...pods });
}

/** Props of {@link RequestRateScaler}. */
export interface RequestRateScalerProps {
  /** Namespace and `part-of` name of the service. */
  readonly platform: PlatformIdentity;
  /** The Prometheus the request rate is read from. */
  readonly prometheus: NonNullable<PlatformSpec['observability']['prometheus']>;
  /** The service, with `autoscaling.requestsPerSecond`. */
  readonly service: ScaledService;
  /** The version whose Deployment is scaled. */
  readonly version: Pick<VersionSpec, 'name'>;
  /** The Deployment's name and labels; the ScaledObject shares them. */
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  /** How the HPA KEDA creates scales down (`behavior.scaleDown`), as the CPU/memory HPA would. */
  readonly scaleDown: { readonly stabilizationWindowSeconds: number; readonly policies: readonly { type: string; value: number; periodSeconds: number }[] };
}

/** The Prometheus Operator's Service in front of its Prometheus pods. */
export const prometheusUrl = (prometheus: NonNullable<PlatformSpec['observability']['prometheus']>) =>
  prometheus.url ?? `http://prometheus-operated.${prometheus.namespace}.svc:9090`;

/** A ScaledObject with a Prometheus trigger: the version's requests per second over `requestsPerSecond` per pod. */
export class RequestRateScaler extends Construct {
  /** The ScaledObject. */
  readonly scaledObject: ScaledObject;

  constructor(scope: Construct, id: string, props: RequestRateScalerProps) {
    super(scope, id);
    const { platform, prometheus, service, version, metadata, scaleDown } = props;
    const { minReplicas, maxReplicas, requestsPerSecond } = service.autoscaling;
    this.scaledObject = new ScaledObject(this, 'Resource', {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: metadata.name },
        minReplicaCount: minReplicas,
        maxReplicaCount: maxReplicas,
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { ...scaleDown, policies: [...scaleDown.policies] } } } },
        triggers: [{
          type: 'prometheus',
          // Progressive: named, so the Canary can give Flagger's primary ScaledObject its own query.
          ...(isProgressive(service) ? { name: REQUEST_RATE_TRIGGER } : {}),
          // KEDA's default metric type (AverageValue) divides the query's value by the replicas: the threshold is per pod.
          metadata: {
            serverAddress: prometheusUrl(prometheus),
            query: versionRequestRate(platform, service, version, metadata.name),
            threshold: String(requestsPerSecond),
          },
        }],
      },
    });
  }
}
