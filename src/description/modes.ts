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
/** Gateway API release channels: `standard` (GA and beta fields only) or `experimental` (adds HTTPRoute `retry`). */
export const GATEWAY_API_CHANNELS = ['standard', 'experimental'] as const;
/** A Gateway API release channel. */
export type GatewayApiChannel = (typeof GATEWAY_API_CHANNELS)[number];

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
  /**
   * The Gateway API channel the cluster's CRDs come from, for `routing: 'gateway-api'` and ambient's waypoint (without
   * either it has no effect).
   * `standard`: `traffic.retries` cannot be set (HTTPRoute has no `retry`). `experimental`: HTTPRoute `retry` (GEP-1731)
   * carries `traffic.retries` on the rules of idempotent methods, and the Pulumi program installs the experimental
   * CRDs instead of the standard ones — cluster-wide, for every user of the cluster (docs/modes.md).
   * @default "standard"
   */
  gatewayApiChannel: z.enum(GATEWAY_API_CHANNELS).default('standard'),
});

/** The resolved mesh modes. */
export type MeshModes = z.output<typeof meshModesSchema>;

/** What the mode rules read of a parsed platform. */
interface ModePlatform {
  readonly mesh: MeshModes;
  readonly istio: { readonly cni: boolean };
  readonly services: readonly {
    readonly name: string;
    readonly traffic: { readonly fault?: unknown; readonly retries: { readonly attempts: number } };
  }[];
}

/** `traffic.retries` of a service as the description (before defaults) sets it, or undefined. */
function describedRetries(input: unknown, service: string): { perTryTimeout?: unknown } | undefined {
  const services = (input as { services?: unknown }).services;
  if (!Array.isArray(services)) return undefined;
  const described = services.find((s) => (s as { name?: unknown }).name === service) as { traffic?: { retries?: object } } | undefined;
  return described?.traffic?.retries;
}

/** Whether the modes produce Gateway API objects (the routes, or ambient's waypoint), for which a channel matters. */
export function usesGatewayApi(mesh: Pick<MeshModes, 'dataPlane' | 'routing'>): boolean {
  return mesh.routing === 'gateway-api' || mesh.dataPlane === 'ambient';
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
    issues.push(...gatewayApiRetryIssues(platform.mesh.gatewayApiChannel, at, service.traffic.retries, describedRetries(input, service.name)));
  }
  return issues;
}

/**
 * What HTTPRoute `retry` cannot carry of a service's `traffic.retries` (src/mesh/gateway-api/route-rules.ts):
 * - in the standard channel, anything: it has no `retry` (GEP-1731 is experimental in v1.6.0);
 * - `attempts: 0`: the CRD requires `retry.attempts` >= 1, and a rule without `retry` gets Istio's mesh default;
 * - `perTryTimeout`: Istio 1.31 translates `retry` to Envoy's retryOn without `reset` or `5xx`, so an attempt cut by
 *   `timeouts.backendRequest` is not retried: the per-try timeout would only end the request with a 504 sooner.
 */
function gatewayApiRetryIssues(
  channel: GatewayApiChannel,
  at: string,
  retries: { readonly attempts: number },
  described: { perTryTimeout?: unknown } | undefined,
): ConfigIssue[] {
  if (channel === 'standard') {
    return described === undefined ? [] : [{
      path: `${at}.traffic.retries`,
      message: 'per-route retries cannot be expressed: HTTPRoute has no retry field in the Gateway API standard channel; Istio\'s mesh-wide default retries only requests that never reached the service',
      fix: "remove traffic.retries in this environment, set mesh.gatewayApiChannel to 'experimental' (HTTPRoute retry; installs the experimental CRDs cluster-wide, see docs/modes.md), or set mesh.routing to 'istio'",
    }];
  }
  const issues: ConfigIssue[] = [];
  if (retries.attempts === 0) {
    issues.push({
      path: `${at}.traffic.retries.attempts`,
      message: 'HTTPRoute retry.attempts must be at least 1, and a rule without retry gets Istio\'s mesh default (which retries requests that never reached the service), so retries cannot be turned off per route',
      fix: "set traffic.retries.attempts to 1 or more, or mesh.routing to 'istio' to turn retries off",
    });
  }
  if (described?.perTryTimeout !== undefined) {
    issues.push({
      path: `${at}.traffic.retries.perTryTimeout`,
      message: 'Istio does not retry an HTTPRoute attempt that hits its per-try timeout (timeouts.backendRequest): its retry policy for HTTPRoutes has no reset or 5xx condition, so the timeout would only end the request with a 504 sooner',
      fix: "remove traffic.retries.perTryTimeout in this environment (each attempt is bounded by traffic.timeout), or set mesh.routing to 'istio'",
    });
  }
  return issues;
}
