/**
 * With `networkPolicies`: the Envoy pods Istio deploys in the platform namespace for its Gateways fall under the
 * namespace's default deny too (network-policies.ts, which also lets them reach DNS and istiod), so they get their own
 * allows. Istio selects them by `gateway.networking.k8s.io/gateway-name: <gateway>` and labels them
 * `istio.io/dataplane-mode: none`: ztunnel does not capture them, so their kubelet probes come from the node's own
 * address, which the description cannot know; the status port (readiness only, also what cloud load balancers check on
 * the gateway's Service) is therefore open to any source.
 * - The waypoint (ambient): HBONE on 15008 from the services that call others; HBONE to the services that are called.
 * - The ingress gateway (Gateway API routing): its listener ports from anywhere; to the exposed services' pods.
 */
import { Construct } from 'constructs';
import { isCalled } from '../description/call-graph';
import { HBONE_PORT, PROXY_STATUS_PORT, WAYPOINT_NAME, gatewayPodSelector, ingressListenerPorts } from '../description/names/mesh';
import { namespaceGateways, policyFactory, servicePods, serviceWirePorts, tcp } from './network-peers';
import type { PlatformProps } from './platform-props';

/** Ingress and egress of the waypoint's and the ingress gateway's pods, for those of them the chart creates. */
export class GatewayNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const policy = policyFactory(this, platform);
    const gateways = namespaceGateways(platform);
    const { services } = platform;

    if (gateways.includes(WAYPOINT_NAME)) {
      const callers = services.filter((service) => service.calls.length > 0);
      const callees = services.filter((service) => isCalled(platform, service));
      policy(`allow-${WAYPOINT_NAME}-ingress`, {
        podSelector: { matchLabels: gatewayPodSelector(WAYPOINT_NAME) },
        policyTypes: ['Ingress'],
        ingress: [
          ...(callers.length > 0 ? [{ from: callers.map((caller) => servicePods(caller)), ports: [tcp(HBONE_PORT)] }] : []),
          { ports: [tcp(PROXY_STATUS_PORT)] },
        ],
      });
      if (callees.length > 0) {
        policy(`allow-${WAYPOINT_NAME}-egress`, {
          podSelector: { matchLabels: gatewayPodSelector(WAYPOINT_NAME) },
          policyTypes: ['Egress'],
          egress: [{ to: callees.map((callee) => servicePods(callee)), ports: [tcp(HBONE_PORT)] }],
        });
      }
    }

    const ingress = platform.gateway.name;
    if (!gateways.includes(ingress)) return;
    policy(`allow-${ingress}-ingress`, {
      podSelector: { matchLabels: gatewayPodSelector(ingress) },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [...ingressListenerPorts(platform.gateway), PROXY_STATUS_PORT].map(tcp) }],
    });
    // To the version Services' pods directly (Istio's ingress does not go through the waypoint): HBONE in ambient.
    policy(`allow-${ingress}-egress`, {
      podSelector: { matchLabels: gatewayPodSelector(ingress) },
      policyTypes: ['Egress'],
      egress: services.filter((service) => service.expose).map((service) => ({ to: [servicePods(service)], ports: serviceWirePorts(platform, service) })),
    });
  }
}
