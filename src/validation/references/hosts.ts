import type { Context } from '../context';
import { type Entry, push } from '../inventory';
import { record, str, strings } from '../shapes';
import { describeExportTo, isVisibleIn } from './visibility';

/** What an Istio host name refers to. */
export type HostTarget =
  /**
   * A Kubernetes Service `name` in `namespace`; `entry` is undefined when the input has no such Service, or when it is
   * not exported to the referring namespace (`hidden` then says why).
   */
  | { readonly type: 'service'; readonly namespace: string; readonly name: string; readonly entry?: Entry; readonly hidden?: string }
  /** A host declared by a ServiceEntry of the input (`entry`: the first one visible to the referring namespace). */
  | { readonly type: 'service-entry'; readonly host: string; readonly entry: Entry }
  /** A name outside the cluster that no ServiceEntry visible to the referring namespace declares (`hidden`: one not visible does). */
  | { readonly type: 'external'; readonly host: string; readonly hidden?: string }
  /** A wildcard, or a Service in an external namespace: not checked. */
  | { readonly type: 'unchecked' };

/** A stable key of a target, so that hosts written differently (`reviews`, `reviews.shop.svc.cluster.local`) compare equal. */
export function targetKey(target: HostTarget): string {
  switch (target.type) {
    case 'service':
      return `service:${target.namespace}/${target.name}`;
    case 'service-entry':
    case 'external':
      return `host:${target.host}`;
    default:
      return 'unchecked';
  }
}

/**
 * Resolves an Istio host, seen from config in `fromNamespace`, as Istio does for Kubernetes Services: a short name in
 * the referring object's namespace, `name.namespace`, `name.namespace.svc` and `name.namespace.svc.<cluster domain>`;
 * any other name is a ServiceEntry host or an external name. Only Services and ServiceEntries exported to
 * `fromNamespace` count (`exportTo`, the `networking.istio.io/exportTo` annotation).
 */
export function resolveHost(context: Context, host: string, fromNamespace: string): HostTarget {
  if (host.includes('*')) return { type: 'unchecked' };
  const declaring = serviceEntriesDeclaring(context, host);
  const visible = declaring.find((entry) => isVisibleIn(entry, fromNamespace));
  if (visible) return { type: 'service-entry', host, entry: visible };
  const parts = host.split('.');
  const clusterLocal = parts.length === 1 || (parts.length >= 3 && parts[2] === 'svc') || (parts.length === 2 && context.inventory.namespaces.has(parts[1]));
  const hiddenEntry = declaring[0] && `ServiceEntry ${declaring[0].effectiveNamespace}/${declaring[0].name} declares it with ${describeExportTo(declaring[0])}`;
  if (!clusterLocal) return { type: 'external', host, ...(hiddenEntry ? { hidden: hiddenEntry } : {}) };
  const [name, namespace = fromNamespace] = parts;
  if (context.isExternalNamespace(namespace)) return { type: 'unchecked' };
  const service = context.inventory.find('Service', namespace, name);
  if (service && !isVisibleIn(service, fromNamespace)) {
    return { type: 'service', namespace, name, hidden: `Service ${namespace}/${name} has ${describeExportTo(service)}` };
  }
  return { type: 'service', namespace, name, entry: service };
}

/** The ServiceEntries declaring `host`, exactly or under a wildcard host (`*.example.com` covers `api.example.com`), in input order. */
function serviceEntriesDeclaring(context: Context, host: string): Entry[] {
  const { exact, wildcard } = serviceEntryHosts(context);
  const declaring = new Set(exact.get(host));
  // `*.example.com` covers every name ending in `.example.com`: look up each suffix of `host` starting at a dot.
  for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
    for (const entry of wildcard.get(host.slice(dot)) ?? []) declaring.add(entry);
  }
  return [...declaring].sort((a, b) => a.index - b.index);
}

/** The ServiceEntries of the input by host they declare: exactly, or by the suffix of a wildcard host (`.example.com`). */
interface ServiceEntryHosts {
  readonly exact: Map<string, Entry[]>;
  readonly wildcard: Map<string, Entry[]>;
}

const serviceEntryCache = new WeakMap<Context, ServiceEntryHosts>();

function serviceEntryHosts(context: Context): ServiceEntryHosts {
  let hosts = serviceEntryCache.get(context);
  if (!hosts) {
    hosts = { exact: new Map(), wildcard: new Map() };
    for (const entry of context.inventory.allOfKind('ServiceEntry')) {
      for (const declared of strings(record(entry.object.spec).hosts)) {
        const [map, key] = declared.startsWith('*.') ? [hosts.wildcard, declared.slice(1)] : [hosts.exact, declared];
        push(map, key, entry);
      }
    }
    serviceEntryCache.set(context, hosts);
  }
  return hosts;
}

/** DestinationRules of the input by target key, with their subset names (filter with isVisibleIn for a referrer's namespace). */
export function destinationRulesByTarget(context: Context): Map<string, { entry: Entry; subsets: string[] }[]> {
  const byTarget = new Map<string, { entry: Entry; subsets: string[] }[]>();
  for (const entry of context.inventory.allOfKind('DestinationRule')) {
    const spec = record(entry.object.spec);
    const host = str(spec.host);
    if (!host) continue;
    const key = targetKey(resolveHost(context, host, entry.effectiveNamespace ?? 'default'));
    const subsets = (Array.isArray(spec.subsets) ? spec.subsets : []).flatMap((subset) => str(record(subset).name) ?? []);
    push(byTarget, key, { entry, subsets });
  }
  return byTarget;
}
