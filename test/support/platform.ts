/** Shared fixtures: fixed image references (stable snapshots, no bundling) and object lookups. */
import { createHash } from 'node:crypto';
import { platform } from '../../src/config/platform';
import { synthesizePlatform } from '../../src/platform';
import { ENVIRONMENTS, type EnvironmentName, type PlatformSpec } from '../../src/spec';

/**
 * Pinned references standing in for the content-addressed ones, so snapshots do not change with service code: one per
 * service of the description, its tag derived from the name alone (a service added to the description gets one).
 */
export const TEST_IMAGES: Readonly<Record<string, string>> = Object.fromEntries(platform.services.map((service) => [
  service.name,
  `${platform.registry}/${service.name}:sha256-${createHash('sha256').update(service.name).digest('hex').slice(0, 16)}`,
]));

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
