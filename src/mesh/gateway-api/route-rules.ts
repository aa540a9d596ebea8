/**
 * HTTPRoute rules of one service, shared by its in-mesh HTTPRoute and the ingress HTTPRoutes, so both apply the same
 * canary weights, header pinning, timeouts, retries and mirroring — the Gateway API counterpart of `../http-routes.ts`.
 *
 * Backends are the per-version Services (HTTPRoute cannot use DestinationRule subsets).
 *
 * Retries (docs/modes.md): in the standard channel HTTPRoute has no `retry`, so every rule gets Istio's mesh-wide
 * default retry policy, which the platform's Istio installation sets to retry only requests that never reached the
 * service (`UNPROCESSED_RETRY_ON`); the spec rejects `traffic.retries` there (src/description/modes.ts). In the experimental
 * channel each rule is split by method as Istio routing splits its routes: one rule per idempotent method carries
 * `retry` (attempts and the 5xx codes), the remaining rule carries none, so a POST keeps the mesh default and is never
 * retried after reaching the service. Splitting keeps the routing: the Gateway API ranks a method match above header
 * matches, so among the rules a request matches, the pinned ones (header, or header and method) still win over their
 * weighted counterparts (header and method > method > header > none).
 *
 * Typed with the experimental channel's binding, a superset of the standard one (its extra fields are optional): what
 * a channel may carry is decided by the spec, and the validator checks the output against the channel's CRDs.
 */
import {
  HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesFiltersUrlRewritePathType, HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesMethod, HttpRouteSpecRulesMatchesPathType, type HttpRouteSpecRules, type HttpRouteSpecRulesBackendRefs,
  type HttpRouteSpecRulesFilters, type HttpRouteSpecRulesMatches, type HttpRouteSpecRulesRetry,
} from '../../../imports/gateway-api-experimental-gateway.networking.k8s.io';
import type { GatewayApiChannel } from '../../description/modes';
import { versionServiceName } from '../../description/names/workloads';
import type { RoutedService } from '../traffic-props';
import { IDEMPOTENT_METHODS } from '../http-routes';
import { isProgressive } from '../../description/delivery-schema';

/** Where the rules are mounted. */
export interface RouteRuleMount {
  /** Path prefix to match, e.g. "/api/orders". @default every path */
  readonly prefix?: string;
  /** Replacement for the matched prefix. @default no rewrite */
  readonly rewrite?: string;
}

/** The backend of one version: its own Service, on the service's first port. */
export function versionBackend(service: RoutedService, version: string, weight?: number): HttpRouteSpecRulesBackendRefs {
  return { name: versionServiceName(service.name, version), port: service.ports[0].port, ...(weight === undefined ? {} : { weight }) };
}

function filters(service: RoutedService, mount: RouteRuleMount): HttpRouteSpecRulesFilters[] {
  const { mirror } = service.traffic;
  return [
    ...(mount.rewrite && mount.prefix ? [{
      type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
      urlRewrite: { path: { type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH, replacePrefixMatch: mount.rewrite } },
    }] : []),
    ...(mirror ? [{
      type: HttpRouteSpecRulesFiltersType.REQUEST_MIRROR,
      requestMirror: { backendRef: { name: versionServiceName(service.name, mirror.version), port: service.ports[0].port }, percent: mirror.percentage },
    }] : []),
  ];
}

/**
 * Response codes an idempotent request is retried on: those the Gateway API requires every implementation to support
 * (GEP-1731), the transient server errors of the `5xx` Istio routing retries on.
 */
export const IDEMPOTENT_RETRY_CODES = [500, 502, 503, 504] as const;

/** The `retry` of the idempotent methods' rules. Attempts are at least 1 under the Gateway API (src/description/modes.ts). */
function idempotentRetry(service: RoutedService): HttpRouteSpecRulesRetry {
  return { attempts: service.traffic.retries.attempts, codes: [...IDEMPOTENT_RETRY_CODES] };
}

/** The rules of a service, header-pinned (when it has a pin) before weighted; split by method in the experimental channel. */
export function routeRules(service: RoutedService, channel: GatewayApiChannel, mount: RouteRuleMount = {}): HttpRouteSpecRules[] {
  const path: HttpRouteSpecRulesMatches = mount.prefix ? { path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: mount.prefix } } : {};
  const ruleFilters = filters(service, mount);
  const rule = (name: string, matches: HttpRouteSpecRulesMatches[], backendRefs: HttpRouteSpecRulesBackendRefs[], retry?: HttpRouteSpecRulesRetry): HttpRouteSpecRules => ({
    name,
    ...(matches.length > 0 ? { matches } : {}),
    ...(ruleFilters.length > 0 ? { filters: ruleFilters } : {}),
    timeouts: { request: service.traffic.timeout },
    ...(retry ? { retry } : {}),
    backendRefs,
  });
  // One rule per idempotent method (a match names one method, and a prefix rewrite needs a rule of exactly one match);
  // the last rule matches what they leave, POST included.
  const split = (name: string, match: HttpRouteSpecRulesMatches, backendRefs: HttpRouteSpecRulesBackendRefs[]): HttpRouteSpecRules[] => [
    ...(channel === 'experimental'
      ? IDEMPOTENT_METHODS.map((method) =>
        rule(`${name}-${method.toLowerCase()}`, [{ ...match, method: HttpRouteSpecRulesMatchesMethod[method] }], backendRefs, idempotentRetry(service)))
      : []),
    rule(name, Object.keys(match).length > 0 ? [match] : [], backendRefs),
  ];
  // Progressive: the apex Service Flagger creates; its HTTPRoute on that Service splits primary and canary.
  if (isProgressive(service)) return split('apex', path, [{ name: service.name, port: service.ports[0].port, weight: 100 }]);
  const rules: HttpRouteSpecRules[] = [];
  const header = service.canary.header;
  if (header) {
    const pinned = { ...path, headers: [{ type: HttpRouteSpecRulesMatchesHeadersType.EXACT, name: header.name, value: header.value }] };
    rules.push(...split('pinned', pinned, [versionBackend(service, header.version, 100)]));
  }
  rules.push(...split('weighted', path, service.versions.map((v) => versionBackend(service, v.name, v.weight))));
  return rules;
}
