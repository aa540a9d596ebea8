/**
 * The platform in memory: resolve an environment's spec and synthesize its objects. `npm run synth` (src/main.ts) and
 * the Pulumi program both call this, so they can never disagree. An entry of its own, apart from the library
 * (src/index.ts): it loads this repository's description and environments (src/config).
 */
import { App } from 'cdk8s';
import { PlatformChart } from '../charts/platform-chart';
import { environments } from './config/environments';
import { platform as description } from './config/platform';
import { combineOverrides } from './description/overrides';
import { resolvePlatformSpec, type ImageReferences } from './description/resolve';
import type { EnvironmentName, EnvironmentOverrides, PlatformDescription, PlatformSpec } from './description/types';

/** Options of `loadPlatformSpec` and `synthesizePlatform`. */
export interface PlatformOptions {
  /** Image reference per service, or a function of the environment's registry returning them (`imageReferences`). */
  readonly images: ImageReferences | ((registry: string) => ImageReferences);
  /** Extra overrides applied after the environment's own (e.g. canary weights from Pulumi stack config). @default none */
  readonly overrides?: EnvironmentOverrides;
  /** The description to use. @default the project's `src/config/platform.ts` */
  readonly description?: PlatformDescription;
}

/** A synthesized environment: its spec and its objects as plain JSON, Namespace first. */
export interface SynthesizedPlatform {
  readonly spec: PlatformSpec;
  readonly objects: readonly Record<string, unknown>[];
}

/** The resolved spec of one environment; throws PlatformConfigError naming every invalid field. */
export function loadPlatformSpec(environment: EnvironmentName, options: PlatformOptions): PlatformSpec {
  const base = environments[environment];
  const overrides = options.overrides ? combineOverrides(base, options.overrides) : base;
  return resolvePlatformSpec({ description: options.description ?? description, environment, overrides, images: options.images });
}

/** Adds the platform chart of a resolved spec to an app (the cdk8s entry point uses this with its own App). */
export function addPlatformChart(app: App, spec: PlatformSpec): PlatformChart {
  return new PlatformChart(app, spec.name, { platform: spec });
}

/** Resolves one environment and synthesizes its objects in memory. */
export function synthesizePlatform(environment: EnvironmentName, options: PlatformOptions): SynthesizedPlatform {
  const spec = loadPlatformSpec(environment, options);
  const chart = addPlatformChart(new App(), spec);
  return { spec, objects: chart.toJson() };
}
