/**
 * The two mesh modes of an environment, chosen independently: the data plane (Istio sidecars or ambient mode's ztunnel
 * and waypoints) and the routing API (Istio's Gateway/VirtualService/DestinationRule or the Kubernetes Gateway API).
 * Their schema and the rules that say which combinations and features each mode can express live here, so that
 * constructs receive a resolved, consistent mode and never check it again. See docs/modes.md.
 */
import { z } from 'zod';
import type { ConfigIssue } from './errors';

/** Data planes: `sidecar` (an Envoy in every pod) or `ambient` (ztunnel per node for L4, waypoints for L7). */
export const DATA_PLANES = ['sidecar', 'ambient'] as const;
/** Routing APIs: `istio` (Gateway, VirtualService, DestinationRule subsets) or `gateway-api` (Gateway, HTTPRoute). */
export const ROUTING_APIS = ['istio', 'gateway-api'] as const;

/** The mesh modes of one environment. */
export const meshModesSchema = z.strictObject({
  /**
   * Data plane. `sidecar`: Istio injects an Envoy sidecar into every pod. `ambient`: pods carry nothing of Istio;
   * ztunnel (per node) does mTLS and L4 policy, one waypoint per namespace does L7 routing and policy. Ambient needs
   * `routing: 'gateway-api'` and Istio's CNI. @default "sidecar"
   */
  dataPlane: z.enum(DATA_PLANES).default('sidecar'),
  /**
   * Routing API. `istio`: networking.istio.io Gateway, VirtualService and DestinationRule subsets per version.
   * `gateway-api`: gateway.networking.k8s.io Gateway (class `istio`) and HTTPRoutes (to the ingress Gateway, and to
   * each Service for in-mesh canaries), one Service per version, DestinationRules only for circuit breaking.
   * @default "istio"
   */
  routing: z.enum(ROUTING_APIS).default('istio'),
});

/** The resolved mesh modes. */
export type MeshModes = z.output<typeof meshModesSchema>;

/** What the mode rules read of a parsed platform. */
interface ModePlatform {
  readonly mesh: MeshModes;
  readonly istio: { readonly cni: boolean };
  readonly services: readonly { readonly name: string; readonly traffic: { readonly fault?: unknown } }[];
}

/** Whether the description (before defaults) sets `traffic.retries` of a service. */
function setsRetries(input: unknown, service: string): boolean {
  const services = (input as { services?: unknown }).services;
  if (!Array.isArray(services)) return false;
  const described = services.find((s) => (s as { name?: unknown }).name === service) as { traffic?: { retries?: unknown } } | undefined;
  return described?.traffic?.retries !== undefined;
}

/**
 * Combinations and features the chosen modes cannot express, each with its field and fix.
 * @param input the description with the environment's overrides, before defaults (to tell a set field from a default)
 */
export function checkModeRules(platform: ModePlatform, input: unknown): ConfigIssue[] {
  const { dataPlane, routing } = platform.mesh;
  const issues: ConfigIssue[] = [];
  if (dataPlane === 'ambient' && routing === 'istio') {
    issues.push({
      path: 'mesh.routing',
      message: "the ambient data plane needs routing 'gateway-api': Istio supports VirtualServices on waypoints only as Alpha, and not mixed with HTTPRoutes",
      fix: "set mesh.routing to 'gateway-api', or mesh.dataPlane to 'sidecar'",
    });
  }
  if (dataPlane === 'ambient' && !platform.istio.cni) {
    issues.push({
      path: 'istio.cni',
      message: 'the ambient data plane runs on Istio\'s CNI node agent, which redirects pod traffic to ztunnel',
      fix: "set istio.cni to true, or mesh.dataPlane to 'sidecar'",
    });
  }
  if (routing !== 'gateway-api') return issues;
  for (const service of platform.services) {
    const at = `services.${service.name}`;
    if (service.traffic.fault) {
      issues.push({
        path: `${at}.traffic.fault`,
        message: 'the Gateway API has no fault injection, and Istio does not support a VirtualService beside HTTPRoutes for the same service',
        fix: "remove traffic.fault in this environment, or set mesh.routing to 'istio' for resilience drills",
      });
    }
    if (setsRetries(input, service.name)) {
      issues.push({
        path: `${at}.traffic.retries`,
        message: 'per-route retries cannot be expressed: HTTPRoute has no retry field in the Gateway API standard channel; Istio\'s mesh-wide default retries only requests that never reached the service',
        fix: "remove traffic.retries in this environment, or set mesh.routing to 'istio'",
      });
    }
  }
  return issues;
}
