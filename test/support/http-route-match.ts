/**
 * Which rule of an HTTPRoute a request takes, by the Gateway API's precedence (HTTPRouteRule in
 * sigs.k8s.io/gateway-api apis/v1/httproute_types.go): an Exact path match, then the longest PathPrefix, then a method
 * match, then the most header matches, then the most query matches; on a tie, the first rule in list order. Only what
 * the platform's routes use is modelled (PathPrefix and Exact paths, Exact headers, methods); anything else throws.
 */
import type { KubeObject } from './platform';

/** A request as a route sees it. */
export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
}

function pathMatches(path: KubeObject, request: RouteRequest): boolean {
  if (path.type === 'Exact') return request.path === path.value;
  if (path.type !== 'PathPrefix') throw new Error(`path match type ${path.type} not modelled`);
  const prefix = String(path.value).replace(/\/$/, '');
  // PathPrefix matches whole path elements: /api/orders matches /api/orders and /api/orders/1, not /api/ordersx.
  return prefix === '' || request.path === prefix || request.path.startsWith(`${prefix}/`);
}

function matches(match: KubeObject, request: RouteRequest): boolean {
  if (!pathMatches(match.path ?? { type: 'PathPrefix', value: '/' }, request)) return false;
  if (match.method !== undefined && match.method !== request.method) return false;
  if (match.queryParams) throw new Error('query param matches not modelled');
  return (match.headers ?? []).every((header: KubeObject) => {
    if ((header.type ?? 'Exact') !== 'Exact') throw new Error(`header match type ${header.type} not modelled`);
    return request.headers[String(header.name).toLowerCase()] === header.value;
  });
}

/** The precedence of a match, highest first when compared element by element. */
function rank(match: KubeObject): number[] {
  const path = match.path ?? { type: 'PathPrefix', value: '/' };
  return [path.type === 'Exact' ? 1 : 0, String(path.value).length, match.method ? 1 : 0, (match.headers ?? []).length, (match.queryParams ?? []).length];
}

/** Positive when rank `a` takes precedence over rank `b`. */
function compareRanks(a: readonly number[], b: readonly number[]): number {
  const differs = a.findIndex((value, i) => value !== b[i]);
  return differs < 0 ? 0 : a[differs] - b[differs];
}

/** The rule `request` is routed by, or undefined when no rule matches it (a 404). */
export function matchingRule(route: KubeObject, request: RouteRequest): KubeObject | undefined {
  let best: { rule: KubeObject; rank: number[] } | undefined;
  for (const rule of route.spec.rules as KubeObject[]) {
    for (const match of (rule.matches ?? [{}]) as KubeObject[]) {
      if (!matches(match, request)) continue;
      const candidate = rank(match);
      // Strictly higher only: on a tie the earlier rule keeps precedence.
      if (!best || compareRanks(candidate, best.rank) > 0) best = { rule, rank: candidate };
    }
  }
  return best?.rule;
}
