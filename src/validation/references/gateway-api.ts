/**
 * Gateway API references (standard channel): routes' `parentRefs` to Gateways (or to Services, for mesh routes),
 * listeners' `allowedRoutes` (namespaces and kinds), `backendRefs` to Services and their ports, ReferenceGrants for
 * cross-namespace backends, and backend weights.
 */
import { GATEWAY_API_GROUP } from '../../description/names/mesh';
import type { Context } from '../context';
import { type Entry, labelSelector, selects } from '../inventory';
import { at, type Json, num, record, records, str } from '../shapes';

/** Route kinds and the listener protocols that accept them by default (when a listener lists no `allowedRoutes.kinds`). */
const ROUTE_PROTOCOLS: Record<string, readonly string[]> = {
  HTTPRoute: ['HTTP', 'HTTPS'],
  GRPCRoute: ['HTTP', 'HTTPS'],
  TLSRoute: ['TLS'],
  TCPRoute: ['TCP'],
  UDPRoute: ['UDP'],
};

/** Checks every Gateway API route of the input. */
export function checkGatewayApi(context: Context): void {
  for (const entry of context.inventory.entries) {
    if (entry.group !== GATEWAY_API_GROUP || !ROUTE_PROTOCOLS[entry.kind]) continue;
    const spec = record(entry.object.spec);
    records(spec.parentRefs).forEach((parent, i) => checkParent(context, entry, parent, at('spec.parentRefs', i)));
    records(spec.rules).forEach((rule, i) => {
      const backends = records(rule.backendRefs);
      backends.forEach((backend, j) => checkBackend(context, entry, backend, at('spec.rules', i, 'backendRefs', j)));
      const weights = backends.map((backend) => num(backend.weight) ?? 1);
      if (backends.length > 0 && weights.every((weight) => weight === 0)) {
        context.report(entry, 'ref-route-weights', at('spec.rules', i, 'backendRefs'),
          'every backendRef has weight 0: the rule sends no traffic (the gateway answers 500)',
          { hint: 'give at least one backendRef a weight above 0 (weights are relative; the default is 1)' });
      }
      records(rule.filters).forEach((filter, j) => {
        const mirror = record(filter.requestMirror).backendRef;
        if (mirror !== undefined) checkBackend(context, entry, record(mirror), at('spec.rules', i, 'filters', j, 'requestMirror', 'backendRef'));
      });
    });
  }
}

/** The Gateway API Gateway `name` in `namespace` (not Istio's kind of the same name). */
function findGateway(context: Context, namespace: string, name: string): Entry | undefined {
  return context.inventory.ofKind('Gateway', namespace).find((gateway) => gateway.group === GATEWAY_API_GROUP && gateway.name === name);
}

function checkParent(context: Context, route: Entry, parent: Json, path: string): void {
  const group = str(parent.group) ?? GATEWAY_API_GROUP;
  const kind = str(parent.kind) ?? 'Gateway';
  const name = str(parent.name);
  const namespace = str(parent.namespace) ?? route.effectiveNamespace ?? 'default';
  if (!name || context.isExternalNamespace(namespace)) return;
  if (group === '' && kind === 'Service') {
    // A mesh route (GAMMA): it attaches to the Service's traffic.
    if (!context.inventory.find('Service', namespace, name)) {
      context.report(route, 'ref-route-parent', path, `parentRef Service ${namespace}/${name} not found (a mesh route attaches to an existing Service)`);
    }
    return;
  }
  if (group !== GATEWAY_API_GROUP || kind !== 'Gateway') return;
  const gateway = findGateway(context, namespace, name);
  if (!gateway) {
    const known = context.inventory.allOfKind('Gateway').filter((g) => g.group === GATEWAY_API_GROUP).map((g) => `${g.effectiveNamespace}/${g.name}`);
    context.report(route, 'ref-route-parent', path,
      `parentRef Gateway ${namespace}/${name} not found${known.length ? ` (Gateways: ${known.join(', ')})` : ''}`);
    return;
  }
  const sectionName = str(parent.sectionName);
  const port = num(parent.port);
  const listeners = records(record(gateway.object.spec).listeners)
    .filter((listener) => (sectionName === undefined || listener.name === sectionName) && (port === undefined || listener.port === port));
  if (listeners.length === 0) {
    const names = records(record(gateway.object.spec).listeners).map((listener) => `${str(listener.name)}:${num(listener.port)}`);
    context.report(route, 'ref-route-parent', path,
      `Gateway ${namespace}/${name} has no listener${sectionName !== undefined ? ` named "${sectionName}"` : ''}${port !== undefined ? ` on port ${port}` : ''} (listeners: ${names.join(', ') || 'none'})`);
    return;
  }
  const refusals = listeners.map((listener) => refusal(context, route, gateway, listener));
  if (refusals.every((reason) => reason !== undefined)) {
    context.report(route, 'ref-route-parent', path, `Gateway ${namespace}/${name} does not accept this ${route.kind}: ${[...new Set(refusals)].join('; ')}`,
      { hint: "allow the route on the listener (allowedRoutes.namespaces.from: All or Selector, allowedRoutes.kinds), or attach to a listener that allows it" });
  }
}

/** Why `listener` of `gateway` does not accept `route`, or undefined when it does. */
function refusal(context: Context, route: Entry, gateway: Entry, listener: Json): string | undefined {
  const allowed = record(listener.allowedRoutes);
  const kinds = records(allowed.kinds);
  const protocol = str(listener.protocol) ?? '';
  const listenerName = `listener "${str(listener.name) ?? ''}"`;
  if (kinds.length > 0) {
    if (!kinds.some((kind) => kind.kind === route.kind && (str(kind.group) ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP)) {
      return `${listenerName} allows only ${kinds.map((kind) => str(kind.kind)).join(', ')}`;
    }
  } else if (!(ROUTE_PROTOCOLS[route.kind] ?? []).includes(protocol)) {
    return `${listenerName} speaks ${protocol}, which takes no ${route.kind}`;
  }
  const from = str(record(allowed.namespaces).from) ?? 'Same';
  const routeNamespace = route.effectiveNamespace ?? 'default';
  if (from === 'Same' && routeNamespace !== gateway.effectiveNamespace) {
    return `${listenerName} allows routes from its own namespace only (allowedRoutes.namespaces.from: Same)`;
  }
  if (from === 'Selector') {
    const namespace = context.inventory.find('Namespace', undefined, routeNamespace);
    // A Namespace outside the input may carry the labels: not judged.
    if (namespace && !selects(labelSelector(record(allowed.namespaces).selector), namespace.labels)) {
      return `${listenerName} allows routes from namespaces matching its selector, which namespace ${routeNamespace} does not`;
    }
  }
  return undefined;
}

function checkBackend(context: Context, route: Entry, backend: Json, path: string): void {
  const group = str(backend.group) ?? '';
  const kind = str(backend.kind) ?? 'Service';
  const name = str(backend.name);
  const routeNamespace = route.effectiveNamespace ?? 'default';
  const namespace = str(backend.namespace) ?? routeNamespace;
  if (!name || group !== '' || kind !== 'Service' || context.isExternalNamespace(namespace)) return;
  const service = context.inventory.find('Service', namespace, name);
  if (!service) {
    const known = context.inventory.ofKind('Service', namespace).map((s) => s.name);
    context.report(route, 'ref-route-backend', path,
      `backendRef Service ${namespace}/${name} not found${known.length ? ` (Services: ${known.join(', ')})` : ''}`);
    return;
  }
  if (namespace !== routeNamespace && !grants(context, route, namespace, name)) {
    context.report(route, 'ref-route-backend', path,
      `backendRef Service ${namespace}/${name} is in another namespace and no ReferenceGrant in ${namespace} allows ${route.kind}s from ${routeNamespace}`,
      { hint: `add a ReferenceGrant in ${namespace} with from {group: ${GATEWAY_API_GROUP}, kind: ${route.kind}, namespace: ${routeNamespace}} and to {group: "", kind: Service}` });
    return;
  }
  const port = backend.port;
  const ports = records(record(service.object.spec).ports).flatMap((p) => num(p.port) ?? []);
  if (port === undefined) {
    context.report(route, 'ref-route-backend', at(path, 'port'), `backendRef Service ${namespace}/${name} has no port (a Service backend needs one; ports: ${ports.join(', ') || 'none'})`);
  } else if (typeof port === 'number' && !ports.includes(port)) {
    context.report(route, 'ref-route-backend', at(path, 'port'), `port ${port} is not a port of Service ${namespace}/${name} (ports: ${ports.join(', ') || 'none'})`);
  }
}

/** Whether a ReferenceGrant in `namespace` lets `route` (its kind, from its namespace) refer to Service `name`. */
function grants(context: Context, route: Entry, namespace: string, name: string): boolean {
  return context.inventory.ofKind('ReferenceGrant', namespace).some((grant) => {
    const spec = record(grant.object.spec);
    const from = records(spec.from).some((f) => f.group === GATEWAY_API_GROUP && f.kind === route.kind && f.namespace === route.effectiveNamespace);
    const to = records(spec.to).some((t) => (str(t.group) ?? '') === '' && t.kind === 'Service' && (t.name === undefined || t.name === name));
    return from && to;
  });
}
