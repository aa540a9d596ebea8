/**
 * The ajv keywords for what CustomResourceDefinition schemas declare beyond JSON Schema, kept by the generator for
 * CRDs (Istio, Gateway API) and enforced as the API server's structural schema validation does:
 * `x-kubernetes-validations` (CEL rules, see cel.ts) and `x-kubernetes-list-type` `set` / `map` (with
 * `x-kubernetes-list-map-keys`): two equal items, or two items with the same keys, are an error. Built-in kinds carry
 * neither (their list types are not enforced from the schema by the API server).
 */
import type { default as Ajv, CodeKeywordDefinition, ErrorObject, KeywordCxt } from 'ajv';
import { _, getProperty } from 'ajv/dist/compile/codegen';
import { extendErrors } from 'ajv/dist/compile/errors';
import N from 'ajv/dist/compile/names';
import { type CelRule, evaluateRules, type SchemaNode, toCel } from './cel';

/** The keyword names, for errors.ts. */
export const CEL_KEYWORD = 'x-kubernetes-validations';
export const LIST_TYPE_KEYWORD = 'x-kubernetes-list-type';
const LIST_MAP_KEYS = 'x-kubernetes-list-map-keys';

/**
 * The module name the generated validation code requires the keywords' checks by (see validator-cache.ts): the code is
 * generated once and kept (ajv's standalone code), so it calls these functions rather than holding closures.
 */
export const KEYWORD_RUNTIME_MODULE = 'mesh-platform:validation-keywords';

/** Whether `value` has the JSON type the schema node declares (CEL rules only run on well-typed values). */
function hasSchemaType(value: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  if (types.length === 0) return true;
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object'
    : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

type KeywordErrors = Partial<ErrorObject>[] | null;

/** The CEL rules of a schema node on `data`: an error per failed rule, or null. */
function celErrors(data: unknown, rules: readonly CelRule[], parentSchema: SchemaNode): KeywordErrors {
  if (!hasSchemaType(data, parentSchema.type)) return null;
  const failures = evaluateRules(rules, toCel(data, parentSchema));
  if (failures.length === 0) return null;
  return failures.map((failure) => ({
    keyword: CEL_KEYWORD,
    message: failure.message,
    params: { rule: failure.rule, ...(failure.fieldPath ? { fieldPath: failure.fieldPath } : {}) },
  }));
}

/** Duplicates in a list declared a `set`, or a `map` keyed by `x-kubernetes-list-map-keys`: an error per duplicate, or null. */
function listTypeErrors(data: unknown[], listType: string, parentSchema: Record<string, unknown>): KeywordErrors {
  const keys = (parentSchema[LIST_MAP_KEYS] ?? []) as string[];
  const keyOf = (item: unknown): string => JSON.stringify(listType === 'set' ? canonical(item)
    : keys.map((key) => (item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[key] ?? null : null)));
  const seen = new Map<string, number>();
  const errors: Partial<ErrorObject>[] = [];
  data.forEach((item, index) => {
    const key = keyOf(item);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else {
      const what = listType === 'set' ? `duplicate value ${JSON.stringify(item)} (also item ${first}): the list is a set`
        : `duplicate entry: item ${first} has the same ${keys.map((k) => `${k} ${JSON.stringify((item as Record<string, unknown>)?.[k] ?? null)}`).join(', ')} (the list is a map keyed by ${keys.join(', ')})`;
      errors.push({ keyword: LIST_TYPE_KEYWORD, message: what, params: { index } });
    }
  });
  return errors.length > 0 ? errors : null;
}

/** What {@link KEYWORD_RUNTIME_MODULE} exports. */
export const KEYWORD_RUNTIME = { celErrors, listTypeErrors } as const;

/**
 * Generates a call of `check` (a function of KEYWORD_RUNTIME: data, the keyword's value, the schema node) whose errors
 * are added to the validation's as ajv adds a function keyword's (instancePath, schemaPath, and in verbose mode schema
 * and data).
 */
function callRuntime(cxt: KeywordCxt, check: keyof typeof KEYWORD_RUNTIME): void {
  const { gen, it } = cxt;
  const fn = gen.scopeValue('func', { ref: KEYWORD_RUNTIME[check], code: _`require(${KEYWORD_RUNTIME_MODULE})${getProperty(check)}` });
  const errors = gen.const('keywordErrors', _`${fn}(${cxt.data}, ${cxt.schemaValue}, ${it.topSchemaRef}${it.schemaPath})`);
  gen.if(_`${errors} !== null`, () => {
    gen.assign(N.vErrors, _`${N.vErrors} === null ? ${errors} : ${N.vErrors}.concat(${errors})`).assign(N.errors, _`${N.vErrors}.length`);
    extendErrors(cxt);
  });
  cxt.ok(_`${errors} === null`);
}

const CEL: CodeKeywordDefinition = {
  keyword: CEL_KEYWORD,
  schemaType: 'array',
  trackErrors: true,
  code: (cxt) => callRuntime(cxt, 'celErrors'),
};

const LIST_TYPE: CodeKeywordDefinition = {
  keyword: LIST_TYPE_KEYWORD,
  schemaType: 'string',
  type: 'array',
  trackErrors: true,
  code(cxt) {
    const keys = (cxt.parentSchema[LIST_MAP_KEYS] ?? []) as string[];
    // `atomic`, and `map` without keys, allow anything.
    if (cxt.schema === 'set' || (cxt.schema === 'map' && keys.length > 0)) callRuntime(cxt, 'listTypeErrors');
  },
};

/** Registers the keywords on `ajv`. */
export function addKubernetesKeywords(ajv: Ajv): void {
  ajv.addKeyword(CEL);
  ajv.addKeyword({ keyword: LIST_MAP_KEYS, schemaType: 'array' });
  ajv.addKeyword(LIST_TYPE);
}

/** What the keywords generate code from, so that a change to them invalidates cached code (validator-cache.ts). */
export const KEYWORDS_FINGERPRINT = [callRuntime, CEL.code, LIST_TYPE.code].map(String).join('\n');

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
}
