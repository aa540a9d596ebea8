/**
 * What Prometheus scrapes, as Prometheus Operator PodMonitors. PodMonitors rather than ServiceMonitors: the metrics
 * are per pod (every version's pods, whose `version` label the series must carry), the Envoy stats port is a pod
 * port that no Service exposes, and ambient's waypoint and ztunnel have no Service of the platform's. Each monitor
 * copies the pods' `app` and `version` labels onto the series (`podTargetLabels`) and keeps the labels the services
 * expose (`honorLabels`: their `service` and `version` win over the target's, which carry the same values).
 *
 * - sidecars: each pod's merged metrics on 15020 (`/stats/prometheus`: the app's `/metrics` merged by istio-agent with
 *   the sidecar's Envoy stats), since STRICT mTLS refuses a plaintext scrape of the app port;
 * - ambient: the app's `/metrics` on its port (Prometheus runs in the mesh: ztunnel admits its principal, see
 *   prometheus-access.ts), the waypoint's L7 Envoy stats on 15020, and ztunnel's L4 metrics in Istio's namespace;
 * - in either, the Envoy stats of the ingress pods Istio deploys in the namespace under Gateway API routing.
 */
import { Construct } from 'constructs';
import { PodMonitor, type PodMonitorSpecPodMetricsEndpoints } from '../../imports/monitoring.coreos.com';
import { METRICS_PATH } from '../../services/kit/metric-vocabulary';
import { COPIED_POD_LABELS, ENVOY_STATS_PORT_NAME, PROXY_METRICS_PATH, ZTUNNEL_SELECTOR, serviceMonitorName } from '../description/names/observability';
import { ISTIO_NAMESPACE, PROXY_METRICS_PORT, gatewayPodSelector } from '../description/names/mesh';
import { platformLabels, serviceLabels, servicePodSelector } from '../description/names/labels';
import type { PlatformSpec } from '../description/types';
import { namespaceGateways } from '../constructs/network-peers';
import type { ObservabilityProps } from './props';

/**
 * The Envoy stats of a pod on 15020. Istio declares only 15090 (`http-envoy-prom`) as a container port, so the
 * monitor selects the Envoy container by that port and points the address at 15020, as Istio's own Prometheus
 * Operator sample does.
 */
const envoyStats: PodMonitorSpecPodMetricsEndpoints = {
  port: ENVOY_STATS_PORT_NAME,
  path: PROXY_METRICS_PATH,
  honorLabels: true,
  relabelings: [{ sourceLabels: ['__address__'], regex: '(.+):\\d+', targetLabel: '__address__', replacement: `$1:${PROXY_METRICS_PORT}` }],
};

/** The PodMonitors of one environment (with `observability.prometheus`). */
export class PodMonitors extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { platform, prometheus } = props;
    const ambient = platform.mesh.dataPlane === 'ambient';
    for (const service of platform.services) {
      const labels = { ...serviceLabels(platform, service.name, service.component), ...prometheus.monitorLabels };
      const app: PodMonitorSpecPodMetricsEndpoints = { port: service.ports[0].name, path: METRICS_PATH, honorLabels: true };
      new PodMonitor(this, service.name, {
        metadata: { name: serviceMonitorName(service.name), namespace: platform.namespace, labels },
        spec: {
          selector: { matchLabels: servicePodSelector(service) },
          podTargetLabels: [...COPIED_POD_LABELS],
          podMetricsEndpoints: [ambient ? app : envoyStats],
        },
      });
    }
    const labels = { ...platformLabels(platform), ...prometheus.monitorLabels };
    // The Envoy pods Istio deploys in the namespace for Gateways: the waypoint (ambient), the ingress (Gateway API).
    for (const gateway of namespaceGateways(platform)) {
      new PodMonitor(this, `gateway-${gateway}`, {
        metadata: { name: gateway, namespace: platform.namespace, labels },
        spec: { selector: { matchLabels: gatewayPodSelector(gateway) }, podMetricsEndpoints: [envoyStats] },
      });
    }
    if (!ambient) return;
    new PodMonitor(this, 'Ztunnel', {
      metadata: { name: ztunnelMonitorName(platform), namespace: ISTIO_NAMESPACE, labels },
      spec: {
        selector: { matchLabels: { ...ZTUNNEL_SELECTOR } },
        podMetricsEndpoints: [{ portNumber: PROXY_METRICS_PORT, path: PROXY_METRICS_PATH }],
      },
    });
  }
}

/** ztunnel's monitor, in Istio's namespace: named after the platform, which other platforms may share it with. */
const ztunnelMonitorName = (platform: Pick<PlatformSpec, 'name'>) => `${platform.name}-ztunnel`;
