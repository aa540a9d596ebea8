/**
 * HTTPRoute rules of one service, shared by its in-mesh HTTPRoute and the ingress HTTPRoutes, so both apply the same
 * canary weights, header pinning, timeouts and mirroring — the Gateway API counterpart of `../http-routes.ts`.
 *
 * Backends are the per-version Services (HTTPRoute cannot use DestinationRule subsets). Retries: the standard channel
 * of the Gateway API (v1.6.0) has no HTTPRoute `retry`, so Istio applies its mesh-wide default retry policy, which the
 * platform's Istio installation sets to retry only requests that never reached the service (`UNPROCESSED_RETRY_ON`);
 * the spec rejects `traffic.retries` under this routing API (src/spec/modes.ts).
 */
import {
  HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesFiltersUrlRewritePathType, HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesPathType, type HttpRouteSpecRules, type HttpRouteSpecRulesBackendRefs, type HttpRouteSpecRulesFilters,
  type HttpRouteSpecRulesMatches,
} from '../../../imports/gateway.networking.k8s.io';
import { versionServiceName } from '../../spec/names';
import type { ServiceSpec } from '../../spec/types';

/** Where the rules are mounted. */
export interface RouteRuleMount {
  /** Path prefix to match, e.g. "/api/orders". @default every path */
  readonly prefix?: string;
  /** Replacement for the matched prefix. @default no rewrite */
  readonly rewrite?: string;
}

/** The backend of one version: its own Service, on the service's first port. */
export function versionBackend(service: ServiceSpec, version: string, weight?: number): HttpRouteSpecRulesBackendRefs {
  return { name: versionServiceName(service.name, version), port: service.ports[0].port, ...(weight === undefined ? {} : { weight }) };
}

function filters(service: ServiceSpec, mount: RouteRuleMount): HttpRouteSpecRulesFilters[] {
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

/** The header-pinned rule (when the service has one) and the weighted rule. */
export function routeRules(service: ServiceSpec, mount: RouteRuleMount = {}): HttpRouteSpecRules[] {
  const path: HttpRouteSpecRulesMatches = mount.prefix ? { path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: mount.prefix } } : {};
  const common = (name: string, matches: HttpRouteSpecRulesMatches[], backendRefs: HttpRouteSpecRulesBackendRefs[]): HttpRouteSpecRules => {
    const ruleFilters = filters(service, mount);
    return {
      name,
      ...(matches.length > 0 ? { matches } : {}),
      ...(ruleFilters.length > 0 ? { filters: ruleFilters } : {}),
      timeouts: { request: service.traffic.timeout },
      backendRefs,
    };
  };
  const rules: HttpRouteSpecRules[] = [];
  const header = service.canary.header;
  if (header) {
    const pinned = { ...path, headers: [{ type: HttpRouteSpecRulesMatchesHeadersType.EXACT, name: header.name, value: header.value }] };
    rules.push(common('pinned', [pinned], [versionBackend(service, header.version, 100)]));
  }
  rules.push(common('weighted', Object.keys(path).length > 0 ? [path] : [], service.versions.map((v) => versionBackend(service, v.name, v.weight))));
  return rules;
}
