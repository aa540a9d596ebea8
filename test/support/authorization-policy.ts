/**
 * Whether an Istio AuthorizationPolicy rule matches an HTTP request, by the semantics of Istio's reference
 * (security/v1beta1/authorization_policy.proto): a rule matches when one of its `from` entries, one of its `to` entries
 * and all of its `when` conditions match; an absent field matches anything; string values match exactly, by prefix
 * (`abc*`), by suffix (`*abc`) or by presence (`*`). Only the fields the platform's policies use are modelled; any other
 * field throws, so a policy that grows one cannot be judged by a model that ignores it.
 */
import type { KubeObject } from './platform';

/** An HTTP request as the gateway's Envoy sees it. */
export interface AuthzRequest {
  /** The destination port of the connection (the port the Envoy listener is bound to). */
  readonly port: number;
  readonly path: string;
  /** `iss/sub` of a validated JWT; undefined when the request carries none. */
  readonly requestPrincipal?: string;
}

const SOURCE_FIELDS = new Set(['requestPrincipals', 'notRequestPrincipals']);
const OPERATION_FIELDS = new Set(['ports', 'notPorts', 'paths', 'notPaths']);

/** Istio's string match: exact, `prefix*`, `*suffix`, or `*` for presence. */
function stringMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/** A positive list matches when absent or when one value matches; a negative list when absent or when none does. */
function listMatches(values: readonly string[] | undefined, notValues: readonly string[] | undefined, value: string | undefined): boolean {
  if (values && !values.some((pattern) => stringMatches(pattern, value))) return false;
  return !notValues?.some((pattern) => stringMatches(pattern, value));
}

function checkModelled(fields: KubeObject, modelled: ReadonlySet<string>, where: string): void {
  const unknown = Object.keys(fields).filter((field) => !modelled.has(field));
  if (unknown.length > 0) throw new Error(`${where} fields not modelled: ${unknown.join(', ')}`);
}

function sourceMatches(source: KubeObject, request: AuthzRequest): boolean {
  checkModelled(source, SOURCE_FIELDS, 'source');
  return listMatches(source.requestPrincipals, source.notRequestPrincipals, request.requestPrincipal);
}

function operationMatches(operation: KubeObject, request: AuthzRequest): boolean {
  checkModelled(operation, OPERATION_FIELDS, 'operation');
  return listMatches(operation.ports, operation.notPorts, String(request.port))
    && listMatches(operation.paths, operation.notPaths, request.path);
}

/** Whether `rule` (one entry of `spec.rules`) matches `request`. */
export function ruleMatches(rule: KubeObject, request: AuthzRequest): boolean {
  if (rule.when) throw new Error('`when` conditions not modelled');
  const from = (rule.from ?? [{ source: {} }]) as KubeObject[];
  const to = (rule.to ?? [{ operation: {} }]) as KubeObject[];
  return from.some((entry) => sourceMatches(entry.source, request)) && to.some((entry) => operationMatches(entry.operation, request));
}

/** Whether a DENY policy rejects `request`: one of its rules matches it. */
export function denies(policy: KubeObject, request: AuthzRequest): boolean {
  if (policy.spec.action !== 'DENY') throw new Error(`${policy.metadata.name} is not a DENY policy`);
  return (policy.spec.rules as KubeObject[]).some((rule) => ruleMatches(rule, request));
}
