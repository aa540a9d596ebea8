/**
 * The CEL rules of CustomResourceDefinitions (`x-kubernetes-validations`), evaluated as the API server does, with
 * @marcbachmann/cel-js plus the few Kubernetes CEL library functions the carried CRDs use (`isURL`, `url().getScheme()`,
 * `isIP`). A rule that errors at run time (`duration("5")`) fails, as on the server; transition rules (`oldSelf`) are
 * dropped by the generator, since there is no old object offline.
 */
import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import { isIP } from 'node:net';

/** One rule as a CRD declares it. */
export interface CelRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  /** Path of the field the failure is about, relative to the rule's node (`.spec.port`). */
  readonly fieldPath?: string;
  readonly reason?: string;
}

/** A rule that failed on a value: the message the API server would give, and the field it names. */
export interface CelFailure {
  /** The rule's expression. */
  readonly rule: string;
  readonly message: string;
  readonly fieldPath?: string;
}

/** A URL value (`url(string)`), the subset of Kubernetes' URL library the carried CRDs use. */
class KubernetesUrl {
  constructor(readonly url: URL) {}
}

let environment: Environment | undefined;

function celEnvironment(): Environment {
  environment ??= new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false, enableOptionalTypes: true })
    .registerVariable('self', 'dyn')
    .registerType('URL', KubernetesUrl)
    .registerFunction('isURL(string): bool', (text: string) => parseRequestUri(text) !== undefined)
    .registerFunction('url(string): URL', (text: string) => {
      const url = parseRequestUri(text);
      if (!url) throw new Error(`URL parse error during conversion from string: ${text}`);
      return new KubernetesUrl(url);
    })
    .registerFunction('URL.getScheme(): string', (url: KubernetesUrl) => url.url.protocol.replace(/:$/, ''))
    .registerFunction('URL.getHostname(): string', (url: KubernetesUrl) => url.url.hostname)
    .registerFunction('isIP(string): bool', (text: string) => isIP(text) !== 0);
  return environment;
}

/** Go's url.ParseRequestURI, which Kubernetes' `isURL`/`url` use: an absolute URL, or an absolute path. */
function parseRequestUri(text: string): URL | undefined {
  try {
    if (text.startsWith('/')) return new URL(text, 'path:/');
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) return undefined;
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * cel-js accepts `has()` only on a field of a variable chain (`has(self.a.b)`), CEL also on a field of any expression
 * (`has(self[0].matches)`, Gateway API's rules): those become the equivalent optional selection `(e).?f.hasValue()`.
 */
export function rewriteHas(rule: string): string {
  let out = '';
  let i = 0;
  while (i < rule.length) {
    const start = rule.indexOf('has(', i);
    if (start < 0 || (start > 0 && /[\w.]/.test(rule[start - 1]))) {
      if (start < 0) return out + rule.slice(i);
      out += rule.slice(i, start + 4);
      i = start + 4;
      continue;
    }
    let depth = 1;
    let end = start + 4;
    while (end < rule.length && depth > 0) {
      if (rule[end] === '(') depth++;
      else if (rule[end] === ')') depth--;
      end++;
    }
    const argument = rule.slice(start + 4, end - 1);
    const field = /^(.*[\])])\.([A-Za-z_]\w*)$/s.exec(argument.trim());
    out += rule.slice(i, start) + (field ? `(${rewriteHas(field[1])}).?${field[2]}.hasValue()` : `has(${rewriteHas(argument)})`);
    i = end;
  }
  return out;
}

const programs = new Map<string, ParseResult | Error>();

/** The compiled rule (cached per text); an Error when cel-js cannot compile it. */
function program(rule: string): ParseResult | Error {
  let compiled = programs.get(rule);
  if (!compiled) {
    try {
      compiled = celEnvironment().parse(rewriteHas(rule));
    } catch (error) {
      compiled = error as Error;
    }
    programs.set(rule, compiled);
  }
  return compiled;
}

/** Whether cel-js compiles `rule` (the generator drops, and reports, rules it cannot). */
export function compiles(rule: string): boolean {
  return !(program(rule) instanceof Error);
}

/**
 * Evaluates `rules` on `self` (already converted, see toCel); returns the failures. A rule cel-js cannot compile is
 * skipped (the generator reports those); one whose evaluation errors fails with its message.
 */
export function evaluateRules(rules: readonly CelRule[], self: unknown): CelFailure[] {
  const failures: CelFailure[] = [];
  for (const rule of rules) {
    const compiled = program(rule.rule);
    if (compiled instanceof Error) continue;
    let result: unknown;
    try {
      result = compiled({ self });
    } catch (error) {
      result = error;
    }
    if (result === true) continue;
    failures.push({ rule: rule.rule, message: messageOf(rule, self, result), ...(rule.fieldPath ? { fieldPath: rule.fieldPath } : {}) });
  }
  return failures;
}

function messageOf(rule: CelRule, self: unknown, result: unknown): string {
  if (rule.messageExpression) {
    const compiled = program(rule.messageExpression);
    if (!(compiled instanceof Error)) {
      try {
        const text = compiled({ self });
        if (typeof text === 'string' && text) return text;
      } catch {
        // fall back to the message, as the API server does
      }
    }
  }
  const base = rule.message ?? `failed rule: ${rule.rule}`;
  return result instanceof Error ? `${base} (${result.message.split('\n')[0]})` : base;
}

/** The parts of a JSON schema node toCel reads. */
export type SchemaNode = {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: unknown;
  default?: unknown;
};

const defaults = new WeakMap<Record<string, SchemaNode>, [string, unknown][]>();

/** The properties that declare a default, with it (found once per schema node: most declare none). */
function defaultedProperties(properties: Record<string, SchemaNode>): [string, unknown][] {
  let found = defaults.get(properties);
  if (!found) {
    found = Object.entries(properties).flatMap(([key, field]) => (field.default !== undefined ? [[key, field.default] as [string, unknown]] : []));
    defaults.set(properties, found);
  }
  return found;
}

/**
 * A JSON value as CEL sees it under `schema`: the schema's defaults applied to absent fields (the API server defaults
 * a custom resource before its rules run: Gateway API's rules read `self.type` of a path match that may omit it),
 * integers as BigInt (int), numbers the schema types `number` as doubles.
 */
export function toCel(value: unknown, schema: SchemaNode | undefined): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && schema?.properties) {
    const object = value as Record<string, unknown>;
    const defaulted = defaultedProperties(schema.properties).filter(([key]) => !(key in object));
    if (defaulted.length > 0) value = { ...object, ...Object.fromEntries(defaulted.map(([key, fallback]) => [key, structuredClone(fallback)])) };
  }
  if (typeof value === 'number') return Number.isInteger(value) && schema?.type !== 'number' ? BigInt(value) : value;
  // Array.from, not map: a clone made by structuredClone may come from another realm (jest), whose arrays cel-js rejects.
  if (Array.isArray(value)) return Array.from(value as unknown[], (item) => toCel(item, schema?.items));
  if (value !== null && typeof value === 'object') {
    const additional = typeof schema?.additionalProperties === 'object' ? (schema.additionalProperties as SchemaNode) : undefined;
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, toCel(field, schema?.properties?.[key] ?? additional)]));
  }
  return value;
}
