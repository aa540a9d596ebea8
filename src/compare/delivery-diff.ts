/**
 * How each service is delivered in an environment, in a line, and the services whose delivery differs between two
 * environments: the first thing `npm run diff` prints, since a change of delivery (static weights or Flagger's steps)
 * changes how a release reaches users, and the object diff below it only shows its consequences.
 */
import { describeSteps } from '../description/delivery-schema';
import type { PlatformSpec, ServiceSpec } from '../description/types';

/** One service's delivery: `static: v1 50%, v2 50%` or `progressive (Flagger): 20% a step up to 60%, every 1m, …`. */
export function deliveryLine(service: ServiceSpec): string {
  const { delivery } = service;
  if (delivery.mode === 'static') return `static: ${service.versions.map((v) => `${v.name} ${v.weight}%`).join(', ')}`;
  return `progressive (Flagger): ${describeSteps(delivery)} up to ${delivery.maxWeight}%, every ${delivery.interval}, rolled back after ${delivery.threshold} failed checks (analysis: ${delivery.analysisSource})`;
}

/** `~ delivery <service>: <a> -> <b>` for every service (of `only`, if given) delivered differently; empty if none. */
export function deliveryDiff(a: PlatformSpec, b: PlatformSpec, only?: string): string[] {
  const names = [...new Set([...a.services, ...b.services].map((s) => s.name))].filter((name) => only === undefined || name === only);
  return names.flatMap((name) => {
    const [left, right] = [a, b].map((spec) => {
      const service = spec.services.find((s) => s.name === name);
      return service ? deliveryLine(service) : '(absent)';
    });
    return left === right ? [] : [`~ delivery ${name}: ${left} -> ${right}`];
  });
}
