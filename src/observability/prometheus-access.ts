/**
 * Ambient only: Prometheus scrapes the app pods' `/metrics` through the mesh. An ambient pod has no sidecar to merge
 * its metrics into 15020, and ztunnel's default deny refuses a plaintext scrape, so Prometheus runs in the mesh (its
 * namespace labelled `istio.io/dataplane-mode: ambient`) and ztunnel admits its principal to the metrics port: an L4
 * ALLOW by selector, as ztunnel enforces. (With sidecars the scrape goes to istio-agent on 15020, outside Envoy's
 * authorization.) The NetworkPolicies admit the same hop: Prometheus pods → app pods on HBONE's 15008.
 */
import { Construct } from 'constructs';
import { AuthorizationPolicy, AuthorizationPolicySpecAction } from '../../imports/security.istio.io';
import { principal } from '../description/names/workloads';
import { serviceLabels, servicePodSelector } from '../description/names/labels';
import type { ObservabilityProps } from './props';

/** Per service, `<service>-allow-prometheus`: Prometheus' principal to the port its PodMonitor scrapes. */
export class PrometheusAccess extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { platform, prometheus } = props;
    for (const service of platform.services) {
      new AuthorizationPolicy(this, service.name, {
        metadata: { name: `${service.name}-allow-prometheus`, namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) },
        spec: {
          selector: { matchLabels: servicePodSelector(service) },
          action: AuthorizationPolicySpecAction.ALLOW,
          rules: [{
            from: [{ source: { principals: [principal(prometheus.namespace, prometheus.serviceAccount)] } }],
            to: [{ operation: { ports: [String(metricsPort(service))] } }],
          }],
        },
      });
    }
  }
}

/** The port a service's metrics are scraped on in ambient: its first (the kit serves `/metrics` beside the API). */
export const metricsPort = (service: { readonly ports: readonly { readonly name: string; readonly port: number }[] }) => service.ports[0].port;
