/**
 * Who calls whom, as the services' `calls` declare it: one index per resolved spec, so that a construct asking for
 * one service's callers or callees does not scan every service (which made synthesis quadratic in the number of
 * services). Both lists keep the description's order of services, as the output always had.
 */
/** What the graph reads of a service: its name and whom it calls. */
export interface Caller {
  readonly name: string;
  readonly calls: readonly string[];
}

/** A set of services: a resolved spec, or the services a construct was given. */
interface Services<S extends Caller> {
  readonly services: readonly S[];
}

interface CallGraph<S extends Caller> {
  readonly callers: ReadonlyMap<string, readonly S[]>;
  readonly callees: ReadonlyMap<string, readonly S[]>;
}

/** The service lists are frozen (a resolved spec) or built once per construct, so each one's graph is built once. */
const graphs = new WeakMap<readonly Caller[], CallGraph<Caller>>();

function callGraph<S extends Caller>({ services }: Services<S>): CallGraph<S> {
  let graph = graphs.get(services) as CallGraph<S> | undefined;
  if (!graph) {
    const byName = new Map(services.map((service) => [service.name, service]));
    const callers = new Map<string, S[]>();
    const callees = new Map<string, S[]>();
    for (const caller of services) {
      for (const name of new Set(caller.calls)) {
        const callee = byName.get(name);
        if (!callee) continue; // the rules reject unknown callees; an unresolved spec may still hold them
        (callers.get(name) ?? callers.set(name, []).get(name)!).push(caller);
        (callees.get(caller.name) ?? callees.set(caller.name, []).get(caller.name)!).push(callee);
      }
    }
    const order = new Map(services.map((service, index) => [service.name, index]));
    for (const list of callees.values()) list.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
    graph = { callers, callees };
    graphs.set(services, graph);
  }
  return graph;
}

/** The services that list `service` in `calls`, in the description's order. */
export function callersOf<S extends Caller>(platform: Services<S>, service: { readonly name: string }): readonly S[] {
  return callGraph(platform).callers.get(service.name) ?? [];
}

/** The services `service` calls, in the description's order (not the order of its `calls`). */
export function calleesOf<S extends Caller>(platform: Services<S>, service: { readonly name: string }): readonly S[] {
  return callGraph(platform).callees.get(service.name) ?? [];
}

/** Whether any service calls `service`. */
export const isCalled = (platform: Services<Caller>, service: { readonly name: string }) => callersOf(platform, service).length > 0;
