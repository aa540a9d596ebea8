/**
 * Applies an environment's overrides to the shared description: objects merge, arrays and values replace, and `null`
 * removes a field (e.g. `canary: null` for a service the environment delivers progressively).
 */
import type { ConfigIssue } from './errors';
import { didYouMean } from './suggest';
import type { EnvironmentOverrides, PlatformDescription } from './types';

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = merge(base[key], value);
  return merged;
}

/** The value without its `null` fields (at any depth): what an override of `null` leaves of the description. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** Two layers of overrides as one: the second wins, objects merge deeply. */
export function combineOverrides(first: EnvironmentOverrides, second: EnvironmentOverrides): EnvironmentOverrides {
  return merge(first, second) as EnvironmentOverrides;
}

/**
 * The description as the environment sees it (still unvalidated), plus issues for overrides that name no service.
 */
export function applyOverrides(
  description: PlatformDescription,
  overrides: EnvironmentOverrides,
): { merged: Json; issues: ConfigIssue[] } {
  const { services: serviceOverrides = {}, ...platformOverrides } = overrides;
  const names = description.services.map((service) => service.name);
  const known = new Set(names);
  const issues: ConfigIssue[] = Object.keys(serviceOverrides)
    .filter((name) => !known.has(name))
    .map((name) => ({
      path: `overrides.services.${name}`,
      message: `no service named "${name}" (services: ${names.join(', ')})`,
      fix: didYouMean(name, names) || 'override an existing service or add it to the platform description',
    }));
  const merged = withoutNulls(merge(description, platformOverrides)) as Json;
  merged.services = description.services.map((service) => withoutNulls(merge(service, serviceOverrides[service.name])));
  return { merged, issues };
}
