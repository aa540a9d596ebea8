/**
 * Ambient mode's caveats, which a sidecar-era reading of the same objects misses (see docs/modes.md):
 * - ztunnel enforces only L4 (principals, namespaces, IP blocks, ports) and only policies that select workloads; an
 *   AuthorizationPolicy with a `selector` and L7 attributes (methods, paths, hosts, headers, request principals, JWT
 *   claims), or a RequestAuthentication with a `selector`, in an ambient namespace is not enforced as written (error);
 * - a VirtualService and an HTTPRoute for the same Service: Istio does not support mixing them (undefined behaviour);
 * - a waypoint (Gateway of class `istio-waypoint`) that no Service or Namespace enrolls with `istio.io/use-waypoint`.
 */
import {
  DATAPLANE_MODE_LABEL as DATAPLANE_MODE,
  GATEWAY_API_GROUP,
  USE_WAYPOINT_LABEL as USE_WAYPOINT,
  USE_WAYPOINT_NAMESPACE_LABEL as USE_WAYPOINT_NAMESPACE,
  WAYPOINT_GATEWAY_CLASS as WAYPOINT_CLASS,
} from '../../description/names/mesh';
import type { Context } from '../context';
import type { Entry } from '../inventory';
import { at, record, records, str, strings } from '../shapes';
import { resolveHost, targetKey } from '../references/hosts';


/** Request attributes only an L7 proxy can see. */
const L7_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
const L7_SOURCE = ['requestPrincipals', 'notRequestPrincipals'];

/** The ambient caveats; a no-op for inputs without ambient namespaces, HTTPRoutes or waypoints. */
export function checkAmbient(context: Context): void {
  checkSelectorPolicies(context);
  checkMixedRouting(context);
  checkUnusedWaypoints(context);
}

function isAmbient(context: Context, namespace: string | undefined): boolean {
  return namespace !== undefined && context.inventory.find('Namespace', undefined, namespace)?.labels[DATAPLANE_MODE] === 'ambient';
}

/** Paths of the L7 attributes in an AuthorizationPolicy's rules. */
function l7Attributes(spec: Record<string, unknown>): string[] {
  return records(spec.rules).flatMap((rule, r) => [
    ...records(rule.to).flatMap((to, t) => L7_OPERATION.filter((key) => record(to.operation)[key] !== undefined).map((key) => at(`spec.rules[${r}].to[${t}].operation`, key))),
    ...records(rule.from).flatMap((from, f) => L7_SOURCE.filter((key) => record(from.source)[key] !== undefined).map((key) => at(`spec.rules[${r}].from[${f}].source`, key))),
    ...records(rule.when).filter((condition) => str(condition.key)?.startsWith('request.')).map((condition, w) => `spec.rules[${r}].when[${w}]: ${str(condition.key)}`),
  ]);
}

function checkSelectorPolicies(context: Context): void {
  for (const kind of ['AuthorizationPolicy', 'RequestAuthentication']) {
    for (const policy of context.inventory.allOfKind(kind)) {
      const spec = record(policy.object.spec);
      if (spec.selector === undefined || !isAmbient(context, policy.effectiveNamespace)) continue;
      const where = `ambient namespace ${policy.effectiveNamespace}`;
      if (kind === 'RequestAuthentication') {
        context.report(policy, 'policy-ambient-l7-selector', 'spec.selector',
          `RequestAuthentication with a selector in ${where} is not enforced: ztunnel does not read JWTs; only a waypoint or gateway does`);
        continue;
      }
      const attributes = l7Attributes(spec);
      if (attributes.length > 0) {
        context.report(policy, 'policy-ambient-l7-selector', 'spec.selector',
          `AuthorizationPolicy with a selector in ${where} uses L7 attributes (${attributes.join(', ')}), which ztunnel cannot enforce`);
      }
    }
  }
}

/** Services (as host keys) an HTTPRoute attaches to in the mesh: its parentRefs of kind Service. */
function meshParents(route: Entry): { key: string; path: string }[] {
  const namespace = route.effectiveNamespace ?? 'default';
  return records(record(route.object.spec).parentRefs).flatMap((parent, index) =>
    str(parent.kind) === 'Service' && (str(parent.group) ?? '') === ''
      ? [{ key: `service:${str(parent.namespace) ?? namespace}/${str(parent.name)}`, path: `spec.parentRefs[${index}]` }]
      : []);
}

function checkMixedRouting(context: Context): void {
  const routes = context.inventory.allOfKind('HTTPRoute').filter((entry) => entry.group === GATEWAY_API_GROUP);
  if (routes.length === 0) return;
  const virtualServices = new Map<string, Entry>();
  for (const vs of context.inventory.allOfKind('VirtualService')) {
    const spec = record(vs.object.spec);
    const gateways = strings(spec.gateways);
    if (gateways.length > 0 && !gateways.includes('mesh')) continue;
    for (const host of strings(spec.hosts)) virtualServices.set(targetKey(resolveHost(context, host, vs.effectiveNamespace ?? 'default')), vs);
  }
  for (const route of routes) {
    for (const { key, path } of meshParents(route)) {
      const vs = virtualServices.get(key);
      if (!vs) continue;
      context.report(route, 'ref-route-api-mix', path,
        `HTTPRoute ${route.name} and VirtualService ${vs.effectiveNamespace}/${vs.name} both route ${key.slice('service:'.length)}; Istio does not support mixing them for one service`);
    }
  }
}

function checkUnusedWaypoints(context: Context): void {
  const waypoints = context.inventory.allOfKind('Gateway')
    .filter((entry) => entry.group === GATEWAY_API_GROUP && str(record(entry.object.spec).gatewayClassName) === WAYPOINT_CLASS);
  if (waypoints.length === 0) return;
  // Who enrolls which waypoint: `namespace/name` from a Service's or Namespace's labels.
  const used = new Set<string>();
  for (const kind of ['Service', 'ServiceEntry', 'Namespace']) {
    for (const entry of context.inventory.allOfKind(kind)) {
      const labels = entry.labels;
      const name = labels[USE_WAYPOINT];
      if (!name || name === 'none') continue;
      const home = kind === 'Namespace' ? entry.name : entry.effectiveNamespace;
      used.add(`${labels[USE_WAYPOINT_NAMESPACE] ?? home}/${name}`);
    }
  }
  for (const waypoint of waypoints) {
    if (used.has(`${waypoint.effectiveNamespace}/${waypoint.name}`)) continue;
    context.report(waypoint, 'ref-unused-waypoint', 'metadata.name',
      `waypoint ${waypoint.effectiveNamespace}/${waypoint.name} is used by no Service or Namespace (label ${USE_WAYPOINT}: ${waypoint.name}), so it handles no traffic`);
  }
}
