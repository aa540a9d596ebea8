/**
 * What the platform's NetworkPolicies are made of: the peers (a service's pods, the Envoy pods Istio deploys for a
 * Gateway, istiod) and the port a connection shows on the wire, which depends on the data plane. With sidecars a call
 * arrives on the application port (the sidecars' mTLS runs inside it). In ambient, every connection between mesh pods
 * is HBONE to port 15008, the application port inside the tunnel, and the kubelet's probes arrive from 169.254.7.127
 * (istio.io, "Ambient and Kubernetes NetworkPolicy"). See docs/modes.md.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { GATEWAY_NAME_LABEL, HBONE_PORT, ISTIOD_SELECTOR, ISTIO_NAMESPACE, WAYPOINT_NAME, gatewayPodSelector } from '../description/names/mesh';
import { platformLabels, servicePodSelector } from '../description/names/labels';
import type { DeliveredService, PlatformIdentity } from '../description/names/workloads';
import type { PlatformSpec, ServiceSpec } from '../description/types';
import type { MeshModes } from '../description/modes';

/** A TCP port of a policy rule. */
export const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

/** Selects a namespace by the name label Kubernetes sets on every namespace. */
export const namespaceSelector = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

/** The pods of a service (every version), in the platform namespace. */
export const servicePods = (service: DeliveredService): k8s.NetworkPolicyPeer => ({ podSelector: { matchLabels: servicePodSelector(service) } });

/** The Envoy pods Istio deploys for a Gateway API Gateway of the platform namespace (ingress or waypoint). */
export const gatewayPods = (gateway: string): k8s.NetworkPolicyPeer => ({ podSelector: { matchLabels: gatewayPodSelector(gateway) } });

/** The pods of the environment's Prometheus (`observability.prometheus`), in its namespace; undefined without one. */
export function prometheusPods(platform: { readonly observability: Pick<PlatformSpec['observability'], 'prometheus'> }): k8s.NetworkPolicyPeer | undefined {
  const prometheus = platform.observability.prometheus;
  return prometheus && { namespaceSelector: namespaceSelector(prometheus.namespace), podSelector: { matchLabels: { ...prometheus.selector } } };
}

/** istiod's pods, in Istio's namespace. */
export const istiodPods: k8s.NetworkPolicyPeer = { namespaceSelector: namespaceSelector(ISTIO_NAMESPACE), podSelector: { matchLabels: { ...ISTIOD_SELECTOR } } };

/**
 * The ports a connection to these application ports uses on the wire: the ports themselves with sidecars; in ambient
 * HBONE's 15008 only, so the application ports stay closed to anything that does not come through the mesh.
 */
export function wirePorts(platform: { readonly mesh: Pick<MeshModes, 'dataPlane'> }, ports: readonly number[]): k8s.NetworkPolicyPort[] {
  return platform.mesh.dataPlane === 'ambient' ? [tcp(HBONE_PORT)] : ports.map(tcp);
}

/** The wire ports of a service's own ports. */
export const serviceWirePorts = (platform: { readonly mesh: Pick<MeshModes, 'dataPlane'> }, service: Pick<ServiceSpec, 'ports'>) =>
  wirePorts(platform, service.ports.map((port) => port.port));

/** What {@link namespaceGateways} reads: the mesh modes, the ingress gateway's name, and which services are exposed. */
export interface NamespaceGatewaysOf {
  readonly mesh: Pick<MeshModes, 'dataPlane' | 'routing'>;
  readonly gateway: { readonly name: string };
  readonly services: readonly Pick<ServiceSpec, 'expose'>[];
}

/** The Gateways whose Envoy pods Istio deploys in the platform namespace: the waypoint (ambient), the ingress (Gateway API). */
export function namespaceGateways(platform: NamespaceGatewaysOf): string[] {
  const ingress = platform.mesh.routing === 'gateway-api' && platform.services.some((service) => service.expose);
  return [...(platform.mesh.dataPlane === 'ambient' ? [WAYPOINT_NAME] : []), ...(ingress ? [platform.gateway.name] : [])];
}

/** Selects the Envoy pods of the namespace's Gateways ({@link namespaceGateways}). */
export const namespaceGatewayPods = (platform: NamespaceGatewaysOf): k8s.LabelSelector => ({
  matchExpressions: [{ key: GATEWAY_NAME_LABEL, operator: 'In', values: namespaceGateways(platform) }],
});

/** A function that adds one NetworkPolicy of the platform namespace to `scope`. */
export type PolicyFactory = (name: string, spec: k8s.NetworkPolicySpec) => k8s.KubeNetworkPolicy;

/** Adds NetworkPolicies named `name` to `scope`, in the platform namespace with the platform's labels. */
export function policyFactory(scope: Construct, platform: PlatformIdentity): PolicyFactory {
  return (name, spec) => new k8s.KubeNetworkPolicy(scope, name, { metadata: { name, namespace: platform.namespace, labels: platformLabels(platform) }, spec });
}

/** The NetworkPolicies a construct created, by name. */
export const policiesOf = (scope: Construct): Readonly<Record<string, k8s.KubeNetworkPolicy>> =>
  Object.fromEntries(scope.node.children.filter((child) => child instanceof k8s.KubeNetworkPolicy).map((policy) => [policy.name, policy]));
