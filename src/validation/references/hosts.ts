import type { Context } from '../context';
import type { Entry } from '../inventory';
import { record, str, strings } from '../shapes';

/** What an Istio host name refers to. */
export type HostTarget =
  /** A Kubernetes Service `name` in `namespace`; `entry` is undefined when the input has no such Service. */
  | { readonly type: 'service'; readonly namespace: string; readonly name: string; readonly entry?: Entry }
  /** A host declared by a ServiceEntry of the input. */
  | { readonly type: 'service-entry'; readonly host: string }
  /** A name outside the cluster that no ServiceEntry declares. */
  | { readonly type: 'external'; readonly host: string }
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
 * Resolves an Istio host as Istio does for Kubernetes Services: a short name in the referring object's namespace,
 * `name.namespace`, `name.namespace.svc` and `name.namespace.svc.<cluster domain>`; any other name is a ServiceEntry host
 * or an external name.
 */
export function resolveHost(context: Context, host: string, fromNamespace: string): HostTarget {
  if (host.includes('*')) return { type: 'unchecked' };
  if (isServiceEntryHost(context, host)) return { type: 'service-entry', host };
  const parts = host.split('.');
  const clusterLocal = parts.length === 1 || (parts.length >= 3 && parts[2] === 'svc') || (parts.length === 2 && context.inventory.namespaces.has(parts[1]));
  if (!clusterLocal) return { type: 'external', host };
  const [name, namespace = fromNamespace] = parts;
  if (context.isExternalNamespace(namespace)) return { type: 'unchecked' };
  return { type: 'service', namespace, name, entry: context.inventory.find('Service', namespace, name) };
}

/** Whether a ServiceEntry declares `host`, exactly or under a wildcard host (`*.example.com` covers `api.example.com`). */
function isServiceEntryHost(context: Context, host: string): boolean {
  const hosts = serviceEntryHosts(context);
  return hosts.has(host) || [...hosts].some((declared) => declared.startsWith('*.') && host.endsWith(declared.slice(1)));
}

const serviceEntryCache = new WeakMap<Context, Set<string>>();

/** Every host declared by a ServiceEntry of the input (ServiceEntries are visible mesh-wide by default). */
function serviceEntryHosts(context: Context): Set<string> {
  let hosts = serviceEntryCache.get(context);
  if (!hosts) {
    hosts = new Set(context.inventory.allOfKind('ServiceEntry').flatMap((entry) => strings(record(entry.object.spec).hosts)));
    serviceEntryCache.set(context, hosts);
  }
  return hosts;
}

/** DestinationRules of the input by target key, with their subset names. */
export function destinationRulesByTarget(context: Context): Map<string, { entry: Entry; subsets: string[] }[]> {
  const byTarget = new Map<string, { entry: Entry; subsets: string[] }[]>();
  for (const entry of context.inventory.allOfKind('DestinationRule')) {
    const spec = record(entry.object.spec);
    const host = str(spec.host);
    if (!host) continue;
    const key = targetKey(resolveHost(context, host, entry.effectiveNamespace ?? 'default'));
    const subsets = (Array.isArray(spec.subsets) ? spec.subsets : []).flatMap((subset) => str(record(subset).name) ?? []);
    byTarget.set(key, [...(byTarget.get(key) ?? []), { entry, subsets }]);
  }
  return byTarget;
}
