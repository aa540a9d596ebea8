/**
 * Optional NetworkPolicies, a second wall under the mesh's AuthorizationPolicies: deny all traffic, then allow DNS,
 * the Envoys' connection to istiod, each caller to its callees, the ingress gateway to exposed services and, when
 * `observability.prometheus` is set, Prometheus to the Envoys' metrics. Every rule is derived from the services' `calls` and
 * `expose`; how a call shows on the wire depends on the data plane (network-peers.ts):
 * - sidecars: caller pods → callee pods on the callee's ports; ingress gateway pods → exposed service pods.
 * - ambient: caller pods → the waypoint → callee pods, every hop HBONE on 15008 (the same hops ztunnel's L4
 *   AuthorizationPolicies admit: the waypoint and, for exposed services, the ingress gateway); the kubelet's probes,
 *   which Istio's CNI SNATs to 169.254.7.127, on the probe port. The app pods do not dial istiod (ztunnel does).
 * The waypoint's and the ingress gateway's own pods are admitted by gateway-network-policies.ts.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { AMBIENT_PROBE_SOURCE, HBONE_PORT, ISTIOD_PORT, PROXY_METRICS_PORT, WAYPOINT_NAME, ingressPods } from '../description/names/mesh';
import { servicePodSelector } from '../description/names/labels';
import { calleesOf, callersOf, isCalled } from '../description/call-graph';
import type { PlatformSpec } from '../description/types';
import type { MeshModes } from '../description/modes';
import type { PlatformIdentity } from '../description/names/workloads';
import {
  gatewayPods, istiodPods, namespaceGatewayPods, namespaceSelector, policiesOf, policyFactory, prometheusPods, servicePods, serviceWirePorts, tcp, type PolicyFactory,
} from './network-peers';
import { resolveGateway, resolveServices, type GatewayProps, type GatewaySettings, type NamespaceService, type NamespaceServiceSpec } from './namespace-props';
import { placement, propsContext, type PlacementProps } from './placement';
import { probePort } from './pod-template';

/** The Prometheus that scrapes the namespace (the description's `observability.prometheus`). */
export type PrometheusSpec = NonNullable<PlatformSpec['observability']['prometheus']>;

/** Sidecars: each caller's pods reach the callee's pods on its ports; the ingress gateway pods reach exposed services. */
function sidecarServicePolicies(policy: PolicyFactory, platform: NetworkSettings, service: NamespaceServiceSpec): void {
  const ingress = ingressPods(platform);
  const from: k8s.NetworkPolicyPeer[] = [
    ...(service.expose ? [{ namespaceSelector: namespaceSelector(ingress.namespace), podSelector: { matchLabels: ingress.selector } }] : []),
    ...callersOf(platform, service).map((caller) => servicePods(caller)),
  ];
  if (from.length > 0) {
    policy(`allow-${service.name}-ingress`, {
      podSelector: { matchLabels: servicePodSelector(service) },
      policyTypes: ['Ingress'],
      ingress: [{ from, ports: serviceWirePorts(platform, service) }],
    });
  }
  const callees = calleesOf(platform, service);
  if (callees.length > 0) {
    policy(`allow-${service.name}-egress`, {
      podSelector: { matchLabels: servicePodSelector(service) },
      policyTypes: ['Egress'],
      egress: callees.map((callee) => ({ to: [servicePods(callee)], ports: serviceWirePorts(platform, callee) })),
    });
  }
}

/**
 * Ambient: HBONE from the waypoint (when the service has callers), the ingress gateway (when exposed) and Prometheus
 * (with `observability.prometheus`: it scrapes the app's metrics through the mesh, src/observability/prometheus-access.ts),
 * the probes from Istio's SNAT address; callers send HBONE to the waypoint only. The application ports stay closed: every caller
 * the description names is in the mesh, and plaintext from outside it would meet ztunnel's default deny anyway.
 */
function ambientServicePolicies(policy: PolicyFactory, platform: NetworkSettings, service: NamespaceServiceSpec): void {
  const from = [
    ...(isCalled(platform, service) ? [gatewayPods(WAYPOINT_NAME)] : []),
    ...(service.expose ? [gatewayPods(platform.gateway.name)] : []),
    ...[prometheusPods(platform)].filter((peer) => peer !== undefined),
  ];
  policy(`allow-${service.name}-ingress`, {
    podSelector: { matchLabels: servicePodSelector(service) },
    policyTypes: ['Ingress'],
    ingress: [
      ...(from.length > 0 ? [{ from, ports: [tcp(HBONE_PORT)] }] : []),
      { from: [{ ipBlock: { cidr: AMBIENT_PROBE_SOURCE } }], ports: [tcp(probePort(service).port)] },
    ],
  });
  if (service.calls.length > 0) {
    policy(`allow-${service.name}-egress`, {
      podSelector: { matchLabels: servicePodSelector(service) },
      policyTypes: ['Egress'],
      egress: [{ to: [gatewayPods(WAYPOINT_NAME)], ports: [tcp(HBONE_PORT)] }],
    });
  }
}

/** Props of `NetworkPolicies`. */
export interface NetworkPoliciesProps extends PlacementProps {
  /** Every service of the namespace: each reaches exactly the services it lists in `calls`. */
  readonly services: readonly NamespaceService[];
  /** The mesh modes (the description's `mesh`): how a call shows on the wire. @default sidecar data plane, Istio routing */
  readonly mesh?: Partial<Pick<MeshModes, 'dataPlane' | 'routing'>>;
  /** The ingress gateway whose pods reach the exposed services (the description's `gateway`). @default Istio's ingress gateway */
  readonly gateway?: GatewayProps;
  /** The Prometheus admitted to the Envoys' metrics port (the description's `observability.prometheus`). @default none: scraping blocked */
  readonly prometheus?: PrometheusSpec;
}

/** Network props with every default applied. */
interface NetworkSettings extends PlatformIdentity {
  readonly services: readonly NamespaceServiceSpec[];
  readonly mesh: Pick<MeshModes, 'dataPlane' | 'routing'>;
  readonly gateway: GatewaySettings;
  readonly observability: { readonly prometheus?: PrometheusSpec };
}

/**
 * Default deny plus the allows the mesh needs, in the namespace's data plane: a second wall under the access policies.
 *
 * @example
 * new NetworkPolicies(chart, 'network', {
 *   services: [{ name: 'orders', calls: ['payments'] }, { name: 'payments' }],
 * });
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    const context = propsContext(this, 'NetworkPolicies', props);
    const identity = placement(context, props);
    const platform: NetworkSettings = {
      ...identity,
      services: resolveServices(context, props.services),
      mesh: { dataPlane: props.mesh?.dataPlane ?? 'sidecar', routing: props.mesh?.routing ?? 'istio' },
      gateway: resolveGateway(context, identity, props.gateway),
      observability: props.prometheus ? { prometheus: props.prometheus } : {},
    };
    const policy = policyFactory(this, platform);
    const ambient = platform.mesh.dataPlane === 'ambient';
    // The pods with an Envoy of their own: every pod with sidecars; in ambient only the waypoint and ingress gateway.
    const envoys = ambient ? namespaceGatewayPods(platform) : {};

    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: namespaceSelector('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, tcp(53)],
      }],
    });
    policy('allow-istiod', { podSelector: envoys, policyTypes: ['Egress'], egress: [{ to: [istiodPods], ports: [tcp(ISTIOD_PORT)] }] });
    const prometheus = prometheusPods(platform);
    if (prometheus) {
      // With sidecars, 15020 serves the app's metrics merged with the sidecar's; in ambient, the waypoint's and gateway's
      // (each scraped by a PodMonitor: src/observability/pod-monitors.ts).
      policy('allow-metrics-scraping', {
        podSelector: envoys,
        policyTypes: ['Ingress'],
        ingress: [{ from: [prometheus], ports: [tcp(PROXY_METRICS_PORT)] }],
      });
    }

    for (const service of platform.services) {
      if (ambient) ambientServicePolicies(policy, platform, service);
      else sidecarServicePolicies(policy, platform, service);
    }
  }

  /** The NetworkPolicies, by name (`default-deny`, `allow-dns`, `allow-<service>-ingress`, ...). */
  get policies(): Readonly<Record<string, k8s.KubeNetworkPolicy>> {
    return policiesOf(this);
  }
}
