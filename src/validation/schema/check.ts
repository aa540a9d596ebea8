import type { Context } from '../context';
import type { Entry } from '../inventory';
import { DEFAULT_ISTIO_VERSIONS } from '../context';
import { describeErrors, type SchemaProblem } from './errors';
import { SchemaRegistry } from './registry';

/** DNS-1123 subdomain: what Kubernetes accepts as most object names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Checks every object's identity and validates it against its API schema: Kubernetes 1.27 for built-in kinds, each
 * requested Istio version for Istio kinds. A problem that only some Istio versions have names them.
 */
export function checkSchemas(context: Context): void {
  const registry = SchemaRegistry.get();
  const istioVersions = context.options.istioVersions ?? DEFAULT_ISTIO_VERSIONS;
  for (const entry of context.inventory.entries) {
    if (!checkIdentity(context, entry)) continue;
    const apiVersion = String(entry.object.apiVersion);
    const sets = registry.schemasFor(apiVersion, entry.kind, istioVersions);
    if (sets.length === 0) {
      const known = registry.knowsGroup(entry.group);
      context.report(entry, 'schema-unknown-kind', 'kind',
        known
          ? `${apiVersion} ${entry.kind} is not a kind of Kubernetes 1.27 or Istio ${istioVersions.join('/')}`
          : `no schema for ${apiVersion} ${entry.kind} (custom resource not checked)`,
        { severity: known ? 'error' : 'warning' });
      continue;
    }
    const problems = new Map<string, { problem: SchemaProblem; labels: string[] }>();
    const object = withoutNulls(entry.object);
    for (const set of sets) {
      if (set.validate(object)) continue;
      for (const problem of describeErrors(set.validate.errors ?? [])) {
        const key = `${problem.rule}|${problem.path}|${problem.message}`;
        const seen = problems.get(key);
        if (seen) seen.labels.push(set.label);
        else problems.set(key, { problem, labels: [set.label] });
      }
    }
    for (const { problem, labels } of problems.values()) {
      const only = labels.length < sets.length ? ` (${labels.join(', ')} schema)` : '';
      context.report(entry, problem.rule, problem.path, problem.message + only);
    }
  }
}

/**
 * The object with every null-valued field removed (the object itself when it has none): the API server reads a null
 * field as unset (`creationTimestamp: null` from `kubectl create --dry-run -o yaml`, an empty `annotations:` key), and
 * prunes nulls from custom resources before validating them, so a null required field is missing, not mistyped.
 */
function withoutNulls<T>(value: T): T {
  if (value === null || typeof value !== 'object' || !hasNull(value)) return value;
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== null).map(([key, field]) => [key, withoutNulls(field)]),
  ) as T;
}

/** Whether a null field occurs anywhere in `value` (null array items do not count: they stay type errors). */
function hasNull(value: object): boolean {
  return Object.values(value).some((field) =>
    (field === null && !Array.isArray(value)) || (field !== null && typeof field === 'object' && hasNull(field as object)));
}

/** Reports a missing apiVersion, kind or name, or an invalid name; returns whether the object can be schema-checked. */
function checkIdentity(context: Context, entry: Entry): boolean {
  const missing: string[] = [];
  if (typeof entry.object.apiVersion !== 'string' || !entry.object.apiVersion) missing.push('apiVersion');
  if (!entry.kind) missing.push('kind');
  if (!entry.name) missing.push('metadata.name');
  if (missing.length > 0) {
    context.report(entry, 'object-identity', missing[0], `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
    return !missing.includes('apiVersion') && !missing.includes('kind');
  }
  if (entry.name.length > 253 || !DNS_SUBDOMAIN.test(entry.name)) {
    context.report(entry, 'object-identity', 'metadata.name',
      `name "${entry.name}" is not a valid DNS subdomain (lowercase letters, digits, "-" and "."; at most 253 characters)`);
  }
  return true;
}
