/** Shared fixtures: fixed image references (stable snapshots, no bundling) and object lookups. */
import { createHash } from 'node:crypto';
import { platform } from '../../src/config/platform';
import { synthesizePlatform } from '../../src/platform';
import { impliedObjects } from '../../src/validation/implied-objects';
import { ENVIRONMENTS, type EnvironmentName, type EnvironmentOverrides, type PlatformSpec } from '../../src/description';

/**
 * Pinned references standing in for the content-addressed ones, so snapshots do not change with service code: one per
 * service of the description, its tag derived from the name alone (a service added to the description gets one).
 */
export const TEST_IMAGES: Readonly<Record<string, string>> = Object.fromEntries(platform.services.map((service) => [
  service.name,
  `${platform.registry}/${service.name}:sha256-${createHash('sha256').update(service.name).digest('hex').slice(0, 16)}`,
]));

/**
 * A name for a service a test adds to the description: `base` unless the description already has a service of that
 * name (a user following the README adds `inventory-service`), else `base-2`, `base-3`, …
 */
export function unusedServiceName(base: string): string {
  const taken = new Set(platform.services.map((service) => service.name));
  let name = base;
  for (let suffix = 2; taken.has(name); suffix++) name = `${base}-${suffix}`;
  return name;
}

/** A Kubernetes object as synthesized (plain JSON). */
export type KubeObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An environment's spec and objects, typed loosely for assertions. */
export interface TestPlatform {
  readonly spec: PlatformSpec;
  readonly objects: KubeObject[];
}

/** Every environment, synthesized once per test file. */
export function synthesizeAll(): Record<EnvironmentName, TestPlatform> {
  return Object.fromEntries(ENVIRONMENTS.map((env) => [env, synthesizePlatform(env, { images: TEST_IMAGES })])) as Record<EnvironmentName, TestPlatform>;
}

/** Objects of one kind. */
export const ofKind = (objects: readonly KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);

/** Whether every label of a selector is present on a label set. */
export const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/**
 * The shipped environments, plus the mode combinations no shipped environment uses, so that each mode's invariants
 * and snapshot cover TLS, JWT and NetworkPolicies too: prod with the Gateway API on sidecars, prod on ambient, and dev
 * on sidecars with Istio routing.
 */
export const MODE_VARIANTS: Readonly<Record<string, { environment: EnvironmentName; overrides: EnvironmentOverrides }>> = {
  dev: { environment: 'dev', overrides: {} },
  staging: { environment: 'staging', overrides: {} },
  prod: { environment: 'prod', overrides: {} },
  'prod (sidecar, gateway-api)': { environment: 'prod', overrides: { mesh: { routing: 'gateway-api' } } },
  'prod (sidecar, gateway-api, experimental)': { environment: 'prod', overrides: { mesh: { routing: 'gateway-api', gatewayApiChannel: 'experimental' } } },
  'prod (ambient, gateway-api)': { environment: 'prod', overrides: { mesh: { dataPlane: 'ambient', routing: 'gateway-api' } } },
  'dev (sidecar, istio)': { environment: 'dev', overrides: { mesh: { dataPlane: 'sidecar', routing: 'istio' } } },
  // dev delivers order-service progressively: with the shipped ambient + Gateway API, every mesh mode has a Canary.
  'dev (sidecar, gateway-api)': { environment: 'dev', overrides: { mesh: { dataPlane: 'sidecar', routing: 'gateway-api' }, networkPolicies: true } },
  'dev (ambient, network policies)': { environment: 'dev', overrides: { networkPolicies: true } },
};

/**
 * The objects as the cluster will hold them once Flagger has reconciled each Canary: the output plus what Flagger
 * creates (the validator's model of it, src/validation/implied-objects.ts).
 */
export function clusterView(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects, ...impliedObjects(objects).map(({ object }) => object as KubeObject)];
}

/** Every entry of MODE_VARIANTS, synthesized once per test file. */
export function synthesizeVariants(): Record<string, TestPlatform> {
  return Object.fromEntries(Object.entries(MODE_VARIANTS).map(([name, { environment, overrides }]) =>
    [name, synthesizePlatform(environment, { images: TEST_IMAGES, overrides })])) as Record<string, TestPlatform>;
}

/** A service's in-mesh route of the given name (`weighted`, `pinned`) as `version=weight` pairs, in either routing API. */
export function routeSplit(objects: readonly KubeObject[], service: string, route: 'weighted' | 'pinned'): string[] | undefined {
  const virtualService = ofKind(objects, 'VirtualService').find((vs) => vs.metadata.name === service);
  if (virtualService) {
    return virtualService.spec.http.find((r: KubeObject) => r.name === route)?.route.map((r: KubeObject) => `${r.destination.subset}=${r.weight}`);
  }
  const httpRoute = ofKind(objects, 'HTTPRoute').find((r) => r.metadata.name === service);
  return httpRoute?.spec.rules.find((r: KubeObject) => r.name === route)?.backendRefs.map((b: KubeObject) => `${b.name.slice(service.length + 1)}=${b.weight}`);
}
