/**
 * A service delivered progressively: the Flagger `Canary` that wraps its one Deployment, and the `MetricTemplate`s its
 * analysis runs, derived from the service's SLOs (never Flagger's built-in Istio checks; see ./analysis-queries.ts).
 *
 * Flagger (v1.44.0, verified in its source) then owns the service's routing: the apex Service `<name>` and
 * `<name>-primary`/`<name>-canary`, and the VirtualService and DestinationRules (Istio routing) or the HTTPRoute
 * (`gatewayapi:v1`), so the platform emits none of them. It copies the Deployment to `<name>-primary`, rewriting only
 * the selector label `app` to `<name>-primary`, and the autoscaler (HPA or ScaledObject) to `<name>-primary`.
 */
import { Construct } from 'constructs';
import { DestinationRule } from '../../imports/networking.istio.io';
import {
  Canary, CanarySpecAutoscalerRefKind, CanarySpecProvider, CanarySpecTargetRefKind, CanarySpecAnalysisWebhooksType, MetricTemplate,
  MetricTemplateSpecProviderType, type CanarySpecServiceTrafficPolicy,
} from '../../imports/flagger.app';
import { DEFAULT_STEP_WEIGHT, type ProgressiveDelivery as ProgressiveDeliverySpec } from '../description/delivery-schema';
import { INGRESS_USE_WAYPOINT_LABEL, meshServiceLabels } from '../description/names/mesh';
import { canaryServiceName, primaryName, progressiveDeploymentName, serviceHost } from '../description/names/workloads';
import { serviceLabels } from '../description/names/labels';
import type { PlatformSpec, ServiceSpec } from '../description/types';
import { REQUEST_RATE_TRIGGER, prometheusUrl, versionRequestRate } from '../observability/load-scaling';
import { destinationTrafficPolicy } from '../mesh/istio-service-traffic';
import { UNPROCESSED_RETRY_ON } from '../mesh/http-routes';
import { analysisQueries, firingSloAlerts } from './analysis-queries';

/** Props of `ProgressiveDelivery`. */
export interface ProgressiveDeliveryProps {
  /** The resolved platform (with `observability.prometheus`, which the spec requires for progressive delivery). */
  readonly platform: PlatformSpec;
  /** The service, delivered progressively in this environment. */
  readonly service: ServiceSpec & { readonly delivery: ProgressiveDeliverySpec };
}

/** Names of the MetricTemplates of a service. */
export const metricTemplateNames = (service: string) => ({
  successRate: `${service}-success-rate`,
  latency: `${service}-latency`,
  alerts: `${service}-slo-alerts`,
});

/** `service.apex`, `.primary`, `.canary`: the labels Flagger puts on the Services it creates. */
function serviceMetadata(platform: PlatformSpec, service: ServiceSpec) {
  const mesh = meshServiceLabels(platform);
  if (Object.keys(mesh).length === 0) return {};
  const ingress: Record<string, string> = service.expose ? { [INGRESS_USE_WAYPOINT_LABEL]: 'true' } : {};
  return { apex: { labels: { ...mesh, ...ingress } }, primary: { labels: mesh }, canary: { labels: mesh } };
}

/** The Canary and MetricTemplates of one progressive service. */
export class ProgressiveDelivery extends Construct {
  /** The Canary. */
  readonly canary: Canary;

  constructor(scope: Construct, id: string, props: ProgressiveDeliveryProps) {
    super(scope, id);
    const { platform, service } = props;
    const { delivery } = service;
    const labels = serviceLabels(platform, service.name, service.component);
    const metadata = (name: string) => ({ name, namespace: platform.namespace, labels });
    const workload = progressiveDeploymentName(service.name);
    const names = metricTemplateNames(service.name);
    const queries = analysisQueries(platform, service, delivery.analysisSource, workload, delivery.interval);
    const provider = { type: MetricTemplateSpecProviderType.PROMETHEUS, address: prometheusUrl(platform.observability.prometheus!) };
    const template = (name: string, query: string) => new MetricTemplate(this, name, { metadata: metadata(name), spec: { provider, query } });
    template(names.successRate, queries.successRate);
    template(names.latency, queries.latencyMs);
    if (delivery.rollbackOnAlerts) template(names.alerts, firingSloAlerts(platform, service.name));

    const gatewayApi = platform.mesh.routing === 'gateway-api';
    const port = service.ports[0];
    const { attempts, perTryTimeout } = service.traffic.retries;
    const metric = (name: string, templateName: string, range: { min?: number; max?: number }) =>
      ({ name, templateRef: { name: templateName, namespace: platform.namespace }, thresholdRange: range, interval: delivery.interval });
    this.canary = new Canary(this, 'Canary', {
      metadata: metadata(service.name),
      spec: {
        provider: gatewayApi ? CanarySpecProvider.GATEWAYAPI_V1 : CanarySpecProvider.ISTIO,
        targetRef: { apiVersion: 'apps/v1', kind: CanarySpecTargetRefKind.DEPLOYMENT, name: workload },
        autoscalerRef: service.autoscaling.requestsPerSecond !== undefined
          ? {
            apiVersion: 'keda.sh/v1alpha1', kind: CanarySpecAutoscalerRefKind.SCALED_OBJECT, name: workload,
            primaryScalerQueries: { [REQUEST_RATE_TRIGGER]: versionRequestRate(platform, service, service.versions[0], primaryName(workload)) },
          }
          : { apiVersion: 'autoscaling/v2', kind: CanarySpecAutoscalerRefKind.HORIZONTAL_POD_AUTOSCALER, name: workload },
        progressDeadlineSeconds: 600,
        service: {
          name: service.name,
          port: port.port,
          portName: port.name,
          appProtocol: port.appProtocol,
          targetPort: port.name,
          timeout: service.traffic.timeout,
          // The Services Flagger creates carry the mode's labels (in ambient: the waypoint that applies Flagger's route);
          // an exposed service's apex also takes the ingress gateway's traffic through the waypoint, so it is split too.
          ...serviceMetadata(platform, service),
          ...(gatewayApi
            // The in-mesh route (GAMMA: parentRef kind Service), as the platform's own HTTPRoutes attach.
            ? { gatewayRefs: [{ group: '', kind: 'Service', name: service.name, port: port.port }] }
            : {
              // Delegation: Flagger's VirtualService carries no hosts or gateways; the platform's mesh and ingress
              // VirtualServices delegate to it (src/mesh/istio-service-traffic.ts, src/mesh/istio-ingress.ts).
              delegation: true,
              // One route, so one retry policy: only requests that never reached the service are retried.
              retries: attempts === 0 ? { attempts: 0 } : { attempts, perTryTimeout, retryOn: UNPROCESSED_RETRY_ON },
              trafficPolicy: destinationTrafficPolicy(platform, service) as unknown as CanarySpecServiceTrafficPolicy,
            }),
        },
        analysis: {
          interval: delivery.interval,
          threshold: delivery.threshold,
          maxWeight: delivery.maxWeight,
          ...(delivery.stepWeights ? { stepWeights: [...delivery.stepWeights] } : { stepWeight: delivery.stepWeight ?? DEFAULT_STEP_WEIGHT }),
          metrics: [
            metric('success-rate', names.successRate, { min: service.slo.availabilityPercent }),
            metric('latency', names.latency, { max: service.slo.latency.thresholdMs }),
            ...(delivery.rollbackOnAlerts ? [metric('slo-alerts', names.alerts, { max: 0 })] : []),
          ],
          webhooks: delivery.webhooks.map((hook) => ({
            name: hook.name,
            type: hook.type as CanarySpecAnalysisWebhooksType,
            url: hook.url,
            timeout: hook.timeout,
            ...(Object.keys(hook.metadata).length > 0 ? { metadata: { ...hook.metadata } } : {}),
          })),
        },
      },
    });

    // Under the Gateway API Flagger creates no DestinationRules: the platform keeps circuit breaking on both hosts.
    if (gatewayApi) {
      for (const host of [primaryName(service.name), canaryServiceName(service.name)]) {
        new DestinationRule(this, `${host}-DestinationRule`, {
          metadata: metadata(host),
          spec: { host: serviceHost(platform, host), trafficPolicy: destinationTrafficPolicy(platform, service) },
        });
      }
    }
  }
}
