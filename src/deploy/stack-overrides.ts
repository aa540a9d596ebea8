/**
 * What a stack changes of its environment, and the spec that results: the environment's overrides
 * (`src/config/environments.ts`), then stack config `overrides` (any of those fields, for this stack only), then the
 * `registry` and `canary` keys. The result is resolved and checked by the platform's own schema and rules, so a stack
 * can express nothing an environment could not; a problem that only stack config `overrides` causes is reported on that
 * key, one line each, with the command that fixes it.
 */
import { imageReferences } from '../images/index';
import { loadPlatformSpec } from '../platform';
import { PlatformConfigError, type ConfigIssue } from '../description/errors';
import { combineOverrides } from '../description/overrides';
import type { EnvironmentOverrides, PlatformSpec } from '../description/types';
import { configProblem, DeployConfigError, type DeployConfig } from './config';

/** The stack config that overrides the environment. */
export type StackOverrideConfig = Pick<DeployConfig, 'environment' | 'registry' | 'canary' | 'overrides'>;

/** The stack config's overrides of the environment, as one layer: `overrides`, then `registry` and `canary` on top. */
export function stackOverrides(config: Omit<StackOverrideConfig, 'environment'>): EnvironmentOverrides {
  const services = Object.fromEntries(Object.entries(config.canary ?? {}).map(([service, weights]) => [service, { canary: { weights } }]));
  return combineOverrides(config.overrides ?? {}, {
    ...(config.registry ? { registry: config.registry } : {}),
    ...(config.canary ? { services } : {}),
  });
}

/**
 * The environment's spec as this stack deploys it.
 * @throws DeployConfigError naming `overrides.<field>` when the spec is valid without stack config `overrides` and
 * invalid with them; else PlatformConfigError (the environment, `registry` or `canary` are at fault, too).
 */
export function loadStackSpec(config: StackOverrideConfig): PlatformSpec {
  const load = (overrides: EnvironmentOverrides) => loadPlatformSpec(config.environment, { images: imageReferences, overrides });
  try {
    return load(stackOverrides(config));
  } catch (error) {
    if (!(error instanceof PlatformConfigError) || config.overrides === undefined) throw error;
    // Valid without `overrides`: every problem is theirs. Otherwise the platform's error, every problem in it.
    try {
      load(stackOverrides({ ...config, overrides: undefined }));
    } catch {
      throw error;
    }
    throw new DeployConfigError(error.issues.map(overrideProblem));
  }
}

/** One problem of the resolved spec as a problem of stack config `overrides`. */
function overrideProblem(issue: ConfigIssue): string {
  // Paths are the description's (`services.order-service.delivery.interval`); `(root)` is the object itself, and
  // an unknown service is reported as `overrides.services.<name>` already.
  const path = issue.path === '(root)' ? [] : issue.path.replace(/^overrides\./, '').split('.');
  const key = ['overrides', ...path].join('.');
  const flag = `'${configPath(['overrides', ...path])}'`;
  const fix = `${issue.fix ? `${issue.fix}: ` : ''}pulumi config set --path ${flag} <value>, or pulumi config rm --path ${flag}`;
  return configProblem(key, issue.message, fix);
}

/** A `pulumi config --path` argument: `overrides.services["order-service"].delivery`. */
function configPath(segments: readonly string[]): string {
  return segments.map((segment, index) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment) ? `${index === 0 ? '' : '.'}${segment}` : `["${segment}"]`)).join('');
}
