import type { Context } from '../context';
import type { Entry } from '../inventory';
import { resolveTargets, type Targets } from '../targets';
import { describeErrors, type SchemaProblem } from './errors';
import { everServed, unserved } from './lifecycle';
import {
  type ApiFamily, AVAILABLE_GATEWAY_API_EXPERIMENTAL_VERSIONS, AVAILABLE_GATEWAY_API_VERSIONS, AVAILABLE_ISTIO_VERSIONS, AVAILABLE_KEDA_VERSIONS, AVAILABLE_FLAGGER_VERSIONS,
  AVAILABLE_KUBERNETES_VERSIONS, AVAILABLE_PROMETHEUS_OPERATOR_VERSIONS, EXPERIMENTAL_CHANNEL_SUFFIX, FAMILY_NAMES, SchemaRegistry, type SchemaSet,
} from './registry';

/** DNS-1123 subdomain: what Kubernetes accepts as most object names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const AVAILABLE: Record<ApiFamily, readonly string[]> = {
  kubernetes: AVAILABLE_KUBERNETES_VERSIONS, istio: AVAILABLE_ISTIO_VERSIONS, 'gateway-api': AVAILABLE_GATEWAY_API_VERSIONS,
  'prometheus-operator': AVAILABLE_PROMETHEUS_OPERATOR_VERSIONS, keda: AVAILABLE_KEDA_VERSIONS, flagger: AVAILABLE_FLAGGER_VERSIONS,
};

/**
 * Checks every object's identity and validates it against its API schema in every version checked
 * (ValidateOptions.kubernetesVersions for built-in kinds, istioVersions for Istio kinds). Every version checked must
 * serve the object's apiVersion/kind: one that does not is an error naming why (removed in which release, and what to
 * use instead; or served only from a later release). A schema problem that only some versions have names them.
 */
export function checkSchemas(context: Context): void {
  const registry = SchemaRegistry.get();
  const targets = resolveTargets(context.options);
  for (const entry of context.inventory.entries) {
    if (!checkIdentity(context, entry)) continue;
    const apiVersion = String(entry.object.apiVersion);
    const key = `${apiVersion}/${entry.kind}`;
    const family = registry.familyOf(entry.group);
    if (!family) {
      context.report(entry, 'schema-unknown-kind', 'kind', `no schema for ${apiVersion} ${entry.kind} (custom resource not checked)`,
        { severity: 'warning' });
      continue;
    }
    // Gateway API objects are checked against the channel their namespace is written for (Context.gatewayApiChannel).
    const experimental = family === 'gateway-api' && context.gatewayApiChannel(entry.namespace) === 'experimental';
    const checked = experimental ? targets[family].map((version) => `${version}${EXPERIMENTAL_CHANNEL_SUFFIX}`) : targets[family];
    const available = experimental ? AVAILABLE_GATEWAY_API_EXPERIMENTAL_VERSIONS : AVAILABLE[family];
    if (!everServed(registry, family, available, key)) {
      context.report(entry, 'schema-unknown-kind', 'kind', `${apiVersion} ${entry.kind} is not a kind of ${describeTargets(targets, family, experimental)}`);
      continue;
    }
    const sets: SchemaSet[] = [];
    for (const version of checked) {
      const set = registry.schemaFor(family, version, key);
      if (set) sets.push(set);
      else {
        const { message, hint } = unserved(registry, family, version, apiVersion, entry.kind, checked, available);
        context.report(entry, 'schema-unknown-kind', 'apiVersion', message, { hint });
      }
    }
    // A standard-channel Gateway API object is also tried against the experimental channel, to name its fields.
    const alternatives = family === 'gateway-api' && !experimental
      ? checked.flatMap((version) => registry.schemaFor(family, `${version}${EXPERIMENTAL_CHANNEL_SUFFIX}`, key) ?? [])
      : [];
    validateAgainst(context, entry, sets, alternatives);
  }
}

/** `Kubernetes 1.27/1.36 or Istio 1.22.8/1.30.8/1.31.4` (or `Gateway API 1.6.0 (standard channel)` for a kind of that family). */
function describeTargets(targets: Targets, family: ApiFamily, experimental: boolean): string {
  if (family === 'gateway-api') return `Gateway API ${targets['gateway-api'].join('/')} (${experimental ? 'experimental' : 'standard'} channel)`;
  if (family === 'prometheus-operator' || family === 'keda' || family === 'flagger') return `${FAMILY_NAMES[family]} ${targets[family].join('/')}`;
  return `Kubernetes ${targets.kubernetes.join('/')} or Istio ${targets.istio.join('/')}`;
}

/** The note on a standard-channel problem that the experimental channel does not have (a field only it defines). */
const EXPERIMENTAL_ONLY =
  ' (a field of the Gateway API experimental channel only; if the cluster has the experimental CRDs, label the namespace'
  + ' mesh-platform.io/gateway-api-channel=experimental, as the platform does for mesh.gatewayApiChannel \'experimental\')';

/**
 * Reports the object's schema problems, once each, naming the versions when not all of `sets` have the problem.
 * `alternatives`: the same kind in the experimental channel; a problem none of them has is said to be experimental-only.
 */
function validateAgainst(context: Context, entry: Entry, sets: readonly SchemaSet[], alternatives: readonly SchemaSet[] = []): void {
  const object = withoutNulls(entry.object);
  // Versions whose schemas of the kind are equal share one function (registry.ts): each function checks the object once.
  const found = new Map<SchemaSet['validate'], SchemaProblem[]>();
  const problemsOf = (set: SchemaSet): SchemaProblem[] => {
    let problems = found.get(set.validate);
    if (!problems) {
      // Validation applies schema defaults to what it validates: a copy, so neither the input nor the next set sees them.
      problems = set.validate(set.appliesDefaults ? structuredClone(object) : object) ? [] : describeErrors(set.validate.errors ?? []);
      found.set(set.validate, problems);
    }
    return problems;
  };
  const problems = new Map<string, { problem: SchemaProblem; labels: string[] }>();
  for (const set of sets) {
    for (const problem of problemsOf(set)) {
      const key = `${problem.rule}|${problem.path}|${problem.message}`;
      const seen = problems.get(key);
      if (seen) seen.labels.push(set.label);
      else problems.set(key, { problem, labels: [set.label] });
    }
  }
  const alternativeProblems = new Set<string>();
  if (problems.size > 0) {
    for (const set of alternatives) {
      for (const problem of problemsOf(set)) alternativeProblems.add(`${problem.rule}|${problem.path}|${problem.message}`);
    }
  }
  // A value the YAML cannot give JSON (`.nan`) is reported once, by object-yaml.
  const unreadable = new Set((entry.source?.readProblems ?? []).map((problem) => problem.path));
  for (const [key, { problem, labels }] of problems) {
    if (unreadable.has(problem.path)) continue;
    const only = labels.length < sets.length ? ` (${labels.join(', ')} schema)` : '';
    const experimentalOnly = alternatives.length > 0 && !alternativeProblems.has(key) ? EXPERIMENTAL_ONLY : '';
    context.report(entry, problem.rule, problem.path, problem.message + only + experimentalOnly);
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
  const array = Array.isArray(value);
  for (const field of array ? value : Object.values(value)) {
    if (field === null ? !array : typeof field === 'object' && hasNull(field)) return true;
  }
  return false;
}

/** Reports a missing apiVersion, kind or name, or an invalid name; returns whether the object can be schema-checked. */
function checkIdentity(context: Context, entry: Entry): boolean {
  const missing: string[] = [];
  if (typeof entry.object.apiVersion !== 'string' || !entry.object.apiVersion) missing.push('apiVersion');
  if (!entry.kind) missing.push('kind');
  const generateName = entry.object.metadata?.generateName;
  if (!entry.name && typeof generateName === 'string' && generateName && missing.length === 0) {
    // `kubectl create` accepts it (the server appends a suffix); `kubectl apply` and server-side apply need a name.
    context.report(entry, 'object-identity', 'metadata.name',
      `no name, only generateName "${generateName}": fine for kubectl create, but kubectl apply (and Pulumi, server-side apply) needs metadata.name`,
      { severity: 'warning', hint: 'set metadata.name if the object is applied rather than created' });
    return true;
  }
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
