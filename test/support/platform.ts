/** Shared fixtures: fixed image references (stable snapshots, no bundling) and object lookups. */
import { synthesizePlatform } from '../../src/platform';
import { ENVIRONMENTS, type EnvironmentName, type PlatformSpec } from '../../src/spec';

/** Pinned references standing in for the content-addressed ones, so snapshots do not change with service code. */
export const TEST_IMAGES: Readonly<Record<string, string>> = {
  'user-service': 'registry.example.com/shop/user-service:sha256-1111111111111111',
  'order-service': 'registry.example.com/shop/order-service:sha256-2222222222222222',
  'payment-service': 'registry.example.com/shop/payment-service:sha256-3333333333333333',
};

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
