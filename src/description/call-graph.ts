/**
 * Who calls whom, as the services' `calls` declare it: one index per resolved spec, so that a construct asking for
 * one service's callers or callees does not scan every service (which made synthesis quadratic in the number of
 * services). Both lists keep the description's order of services, as the output always had.
 */
import type { PlatformSpec, ServiceSpec } from './types';

interface CallGraph {
  readonly callers: ReadonlyMap<string, readonly ServiceSpec[]>;
  readonly callees: ReadonlyMap<string, readonly ServiceSpec[]>;
}

/** Specs are frozen, so each one's graph is built once. */
const graphs = new WeakMap<PlatformSpec, CallGraph>();

function callGraph(platform: PlatformSpec): CallGraph {
  let graph = graphs.get(platform);
  if (!graph) {
    const byName = new Map(platform.services.map((service) => [service.name, service]));
    const callers = new Map<string, ServiceSpec[]>();
    const callees = new Map<string, ServiceSpec[]>();
    for (const caller of platform.services) {
      for (const name of new Set(caller.calls)) {
        const callee = byName.get(name);
        if (!callee) continue; // the rules reject unknown callees; an unresolved spec may still hold them
        (callers.get(name) ?? callers.set(name, []).get(name)!).push(caller);
        (callees.get(caller.name) ?? callees.set(caller.name, []).get(caller.name)!).push(callee);
      }
    }
    const order = new Map(platform.services.map((service, index) => [service.name, index]));
    for (const list of callees.values()) list.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
    graph = { callers, callees };
    graphs.set(platform, graph);
  }
  return graph;
}

/** The services that list `service` in `calls`, in the description's order. */
export function callersOf(platform: PlatformSpec, service: Pick<ServiceSpec, 'name'>): readonly ServiceSpec[] {
  return callGraph(platform).callers.get(service.name) ?? [];
}

/** The services `service` calls, in the description's order (not the order of its `calls`). */
export function calleesOf(platform: PlatformSpec, service: Pick<ServiceSpec, 'name'>): readonly ServiceSpec[] {
  return callGraph(platform).callees.get(service.name) ?? [];
}

/** Whether any service calls `service`. */
export const isCalled = (platform: PlatformSpec, service: Pick<ServiceSpec, 'name'>) => callersOf(platform, service).length > 0;
