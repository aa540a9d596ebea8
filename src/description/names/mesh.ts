/** Names, labels and ports of Istio and the Gateway API: gateways, waypoints, ztunnel, istiod and the ingress. */

import { principal, type PlatformIdentity } from './workloads';

/** The ingress Gateway's name unless the description sets `gateway.name`. */
export const defaultGatewayName = (platform: Pick<PlatformIdentity, 'name'>) => `${platform.name}-gateway`;

/** Gateway API group of `Gateway` and `HTTPRoute`, as parentRefs and targetRefs name it. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** GatewayClass of Istio's ingress gateways (Istio deploys a Deployment and Service per Gateway). */
export const INGRESS_GATEWAY_CLASS = 'istio';
/** GatewayClass of Istio's waypoint proxies. */
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';
/** The one waypoint of an ambient namespace (the name `istioctl waypoint apply` gives it). */
export const WAYPOINT_NAME = 'waypoint';
/** Namespace label that puts a namespace's pods in ambient mode (`istio.io/dataplane-mode: ambient`). */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
/**
 * Namespace label that turns Istio's sidecar injection on (`enabled`); `disabled` keeps a namespace out of the mesh even
 * with a {@link REVISION_LABEL}.
 */
export const SIDECAR_INJECTION_LABEL = 'istio-injection';
/** Namespace label for revision-based sidecar injection (`istio.io/rev: <revision>`). */
export const REVISION_LABEL = 'istio.io/rev';

/**
 * Namespace label naming the Gateway API channel the namespace's Gateway API objects are written for (`experimental`;
 * absent: `standard`), so the validator checks them against that channel's CRDs (src/validation/context.ts).
 */
export const GATEWAY_API_CHANNEL_LABEL = 'mesh-platform.io/gateway-api-channel';
/** Service (or namespace) label naming the waypoint that handles its L7 traffic. */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** Label naming the namespace of the waypoint {@link USE_WAYPOINT_LABEL} names, when it is not the object's own. */
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';
/** Label Istio puts on the pods it deploys for a Gateway API Gateway. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** Labels of the pods Istio deploys for a Gateway API Gateway (ingress or waypoint), as its templates set them. */
export const gatewayPodSelector = (gateway: string) => ({ [GATEWAY_NAME_LABEL]: gateway });

/**
 * Deployment and Service Istio creates for a Gateway API Gateway: `<gateway>-<gatewayClassName>`, e.g.
 * `shop-gateway-istio` (istio/istio, pilot/pkg/config/kube/gateway: `getDefaultName`).
 */
export const gatewayDeploymentName = (gateway: string, gatewayClass: string) => `${gateway}-${gatewayClass}`;

/**
 * Port of HBONE, the mTLS tunnel ztunnel and waypoints speak: in ambient, every connection between mesh pods arrives on
 * it, whatever the application port inside (istio.io, "Ambient and Kubernetes NetworkPolicy").
 */
export const HBONE_PORT = 15008;
/** Port of the status (readiness) endpoint of the Envoy pods Istio deploys for a Gateway, also on their Service. */
export const PROXY_STATUS_PORT = 15021;
/** Port where Istio's Envoy pods (sidecars, gateways, waypoints) serve Prometheus metrics (`prometheus.io/port`). */
export const PROXY_METRICS_PORT = 15020;
/** istiod's xDS and certificate port, which every Envoy of the mesh dials. */
export const ISTIOD_PORT = 15012;
/**
 * Source address of kubelet probes to ambient pods: Istio's CNI SNATs them to this link-local address so that ztunnel
 * can tell them apart (istio.io, "Ambient, health probes, and Kubernetes NetworkPolicy").
 */
export const AMBIENT_PROBE_SOURCE = '169.254.7.127/32';

/** Namespace of istiod (and of the ingress gateway Istio routing uses by default). */
export const ISTIO_NAMESPACE = 'istio-system';
/** Labels of istiod's pods. */
export const ISTIOD_SELECTOR: Readonly<Record<string, string>> = { app: 'istiod' };

/** Gateway annotation naming the ServiceAccount of the pods Istio deploys for it (the platform creates that account). */
export const GATEWAY_SERVICE_ACCOUNT_ANNOTATION = 'gateway.istio.io/service-account';

/**
 * ServiceAccount of the pods Istio deploys for a Gateway API Gateway (ingress or waypoint): the Gateway's own name, set
 * by {@link GATEWAY_SERVICE_ACCOUNT_ANNOTATION} and created with the Gateway, so its principal exists in the output.
 */
export const gatewayServiceAccount = (gateway: string) => gateway;

/** What the ingress names depend on: the routing API and the gateway settings. */
export interface IngressIdentity extends PlatformIdentity {
  readonly mesh: { readonly routing: 'istio' | 'gateway-api'; readonly dataPlane: 'sidecar' | 'ambient' };
  readonly gateway: { readonly name: string; readonly namespace: string; readonly serviceAccount: string; readonly selector: Readonly<Record<string, string>> };
}

/**
 * Where the ingress gateway pods run and what identifies them: Istio's installed gateway (`gateway.namespace`,
 * `.selector`, `.serviceAccount`) with Istio routing; with the Gateway API, the pods Istio deploys for the platform's
 * Gateway in the platform's namespace.
 */
export function ingressPods(platform: IngressIdentity): { namespace: string; selector: Record<string, string>; principal: string } {
  if (platform.mesh.routing === 'istio') {
    const { namespace, selector, serviceAccount } = platform.gateway;
    return { namespace, selector: { ...selector }, principal: principal(namespace, serviceAccount) };
  }
  const name = platform.gateway.name;
  return {
    namespace: platform.namespace,
    selector: gatewayPodSelector(name),
    principal: principal(platform.namespace, gatewayServiceAccount(name)),
  };
}

/**
 * The Service Istio creates for the platform's ingress Gateway under Gateway API routing (`<gateway>-istio` in the
 * platform namespace); its Gateway's `status.addresses` holds the external address.
 */
export const ingressGatewayService = (platform: Pick<IngressIdentity, 'namespace' | 'gateway'>) =>
  ({ namespace: platform.namespace, name: gatewayDeploymentName(platform.gateway.name, INGRESS_GATEWAY_CLASS) });

/** Principal of the namespace's waypoint, the caller every ambient workload's ztunnel sees for L7 traffic. */
export const waypointPrincipal = (platform: PlatformIdentity) =>
  principal(platform.namespace, gatewayServiceAccount(WAYPOINT_NAME));

/** Service label that sends the ingress gateway's traffic through the Service's waypoint (ambient). */
export const INGRESS_USE_WAYPOINT_LABEL = 'istio.io/ingress-use-waypoint';

/** Labels of a service's Service in this mode: in ambient, the waypoint that handles its L7 traffic. */
export function meshServiceLabels(platform: { readonly mesh: Pick<IngressIdentity['mesh'], 'dataPlane'> }): Record<string, string> {
  return platform.mesh.dataPlane === 'ambient' ? { [USE_WAYPOINT_LABEL]: WAYPOINT_NAME } : {};
}

/** The HTTPRoute that attaches an exposed service to the ingress Gateway. */
export const ingressRouteName = (service: string) => `${service}-ingress`;

/** Port of the ingress gateway's HTTP listener (server), redirecting to HTTPS when TLS is configured. */
export const INGRESS_HTTP_PORT = 80;
/** Port of the ingress gateway's HTTPS listener (server), with a TLS credential. */
export const INGRESS_HTTPS_PORT = 443;

/**
 * Ports the ingress Gateway's listeners open under Gateway API routing: Istio gives its Service the same ports and no
 * `targetPort`, and the Envoy in its pods binds them directly (80, and 443 with TLS).
 */
export const ingressListenerPorts = (gateway: { readonly tlsCredentialName?: string }): number[] =>
  (gateway.tlsCredentialName ? [INGRESS_HTTP_PORT, INGRESS_HTTPS_PORT] : [INGRESS_HTTP_PORT]);
