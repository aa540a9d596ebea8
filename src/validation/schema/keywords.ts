/**
 * The ajv keywords for what CustomResourceDefinition schemas declare beyond JSON Schema, kept by the generator for
 * CRDs (Istio, Gateway API) and enforced as the API server's structural schema validation does:
 * `x-kubernetes-validations` (CEL rules, see cel.ts) and `x-kubernetes-list-type` `set` / `map` (with
 * `x-kubernetes-list-map-keys`): two equal items, or two items with the same keys, are an error. Built-in kinds carry
 * neither (their list types are not enforced from the schema by the API server).
 */
import type Ajv from 'ajv';
import type { DataValidateFunction } from 'ajv/dist/types';
import { type CelRule, evaluateRules, type SchemaNode, toCel } from './cel';

/** The keyword names, for errors.ts. */
export const CEL_KEYWORD = 'x-kubernetes-validations';
export const LIST_TYPE_KEYWORD = 'x-kubernetes-list-type';
const LIST_MAP_KEYS = 'x-kubernetes-list-map-keys';

/** Whether `value` has the JSON type the schema node declares (CEL rules only run on well-typed values). */
function hasSchemaType(value: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  if (types.length === 0) return true;
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object'
    : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

/** Registers the keywords on `ajv`. */
export function addKubernetesKeywords(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: CEL_KEYWORD,
    schemaType: 'array',
    errors: true,
    compile(rules: CelRule[], parentSchema) {
      const validate: DataValidateFunction = (data) => {
        if (!hasSchemaType(data, parentSchema.type)) return true;
        const failures = evaluateRules(rules, toCel(data, parentSchema as SchemaNode));
        if (failures.length === 0) return true;
        validate.errors = failures.map((failure) => ({
          keyword: CEL_KEYWORD,
          message: failure.message,
          params: { rule: failure.rule, ...(failure.fieldPath ? { fieldPath: failure.fieldPath } : {}) },
        }));
        return false;
      };
      return validate;
    },
  });
  ajv.addKeyword({ keyword: LIST_MAP_KEYS, schemaType: 'array' });
  ajv.addKeyword({
    keyword: LIST_TYPE_KEYWORD,
    schemaType: 'string',
    type: 'array',
    errors: true,
    compile(listType: string, parentSchema) {
      const keys = (parentSchema[LIST_MAP_KEYS] ?? []) as string[];
      if (listType !== 'set' && !(listType === 'map' && keys.length > 0)) return () => true;
      const keyOf = (item: unknown): string => JSON.stringify(listType === 'set' ? canonical(item)
        : keys.map((key) => (item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[key] ?? null : null)));
      const validate: DataValidateFunction = (data) => {
        const seen = new Map<string, number>();
        const errors: NonNullable<DataValidateFunction['errors']> = [];
        (data as unknown[]).forEach((item, index) => {
          const key = keyOf(item);
          const first = seen.get(key);
          if (first === undefined) seen.set(key, index);
          else {
            const what = listType === 'set' ? `duplicate value ${JSON.stringify(item)} (also item ${first}): the list is a set`
              : `duplicate entry: item ${first} has the same ${keys.map((k) => `${k} ${JSON.stringify((item as Record<string, unknown>)?.[k] ?? null)}`).join(', ')} (the list is a map keyed by ${keys.join(', ')})`;
            errors.push({ keyword: LIST_TYPE_KEYWORD, message: what, params: { index } });
          }
        });
        if (errors.length === 0) return true;
        validate.errors = errors;
        return false;
      };
      return validate;
    },
  });
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
}
