/**
 * Turns zod's issues into ConfigIssues a user can act on: the path with services and versions named, what was expected
 * and what was received (`expected a number, got the string "80"`), and "did you mean" for misspelt fields and options.
 */
import type { z } from 'zod';
import type { ConfigIssue } from './errors';
import { didYouMean } from './suggest';

type Json = Record<PropertyKey, unknown>;

/** Names array elements by their `name` (or `key`) so paths read `services.order-service.versions.v2`. */
export function describePath(path: readonly PropertyKey[], input: unknown): string {
  const parts: string[] = [];
  let node: unknown = input;
  for (const segment of path) {
    const child = (node as Json | undefined)?.[segment as string];
    const named = child as { name?: unknown; key?: unknown } | undefined;
    const label = typeof segment === 'number' ? (named?.name ?? named?.key ?? segment) : segment;
    parts.push(String(label));
    node = child;
  }
  return parts.join('.') || '(root)';
}

/** The value at a zod path of the input (zod 4 leaves it out of issues unless asked). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, segment) => (node as Json | undefined)?.[segment as string], input);
}

/** A received value in words: `the string "80"`, `the number 49.5`, `true`, `a list`, `an object`, `null`. */
export function received(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': return `the string ${JSON.stringify(value)}`;
    case 'number': return `the number ${value}`;
    case 'boolean': return String(value);
    case 'object': return 'an object';
    default: return typeof value;
  }
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

/** zod's own messages start so; a schema's custom message (`must be a duration …`) is kept as written. */
const GENERIC_MESSAGE = /^(Invalid input|Too small|Too big|Invalid option|Invalid string)/;

/** The zod definition behind a schema (zod 4's `_zod.def`), typed loosely for walking. */
interface Definition {
  readonly type: string;
  readonly shape?: Record<string, { _zod: { def: Definition } }>;
  readonly element?: { _zod: { def: Definition } };
  readonly valueType?: { _zod: { def: Definition } };
  readonly innerType?: { _zod: { def: Definition } };
  readonly in?: { _zod: { def: Definition } };
}

/** The field names the object schema at `path` allows (empty when `path` leads to no object schema). */
function knownFields(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let def = (schema as unknown as { _zod: { def: Definition } })._zod.def;
  const unwrap = () => {
    while (def.innerType || def.in) def = (def.innerType ?? def.in)!._zod.def;
  };
  for (const segment of path) {
    unwrap();
    const next = def.type === 'object' ? def.shape?.[String(segment)] : def.type === 'array' ? def.element : def.valueType;
    if (!next) return [];
    def = next._zod.def;
  }
  unwrap();
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** How to fix a value of the wrong type, when the value says it (a number or boolean written in quotes). */
function typeFix(expected: string, value: unknown, field: string): string {
  if (typeof value === 'string' && (expected === 'number' || expected === 'int') && value.trim() !== '' && Number.isFinite(Number(value))) {
    return `write ${Number(value)} without quotes`;
  }
  if (typeof value === 'string' && expected === 'boolean' && (value === 'true' || value === 'false')) return `write ${value} without quotes`;
  if (expected === 'int' && typeof value === 'number') return `use a whole number, such as ${Math.floor(value)} or ${Math.ceil(value)}`;
  return `set ${field} to ${EXPECTED[expected] ?? expected}`;
}

/** One zod issue of parsing `input` against `schema`, as a ConfigIssue. */
export function schemaIssue(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType): ConfigIssue {
  const path = describePath(issue.path, input);
  const field = String(issue.path.at(-1) ?? 'it');
  const value = valueAt(input, issue.path);
  const custom = GENERIC_MESSAGE.test(issue.message) ? undefined : issue.message;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownFields(schema, issue.path);
      const [first] = issue.keys;
      return {
        path,
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
        fix: `${(issue.keys.length === 1 && didYouMean(first, known)) || 'remove it or correct its spelling'}${known.length > 0 && known.length <= 12 ? ` (fields here: ${known.join(', ')})` : ''}`,
      };
    }
    case 'invalid_type': {
      if (value === undefined) return { path, message: 'is required', fix: `set ${field}` };
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const message = custom ? `${custom} (got ${received(value)})` : `expected ${expected}, got ${received(value)}`;
      return { path, message, fix: typeFix(issue.expected, value, field) };
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const words = issue.code === 'too_small' ? (issue.inclusive ? 'at least' : 'more than') : (issue.inclusive ? 'at most' : 'less than');
      const what = issue.origin === 'array' ? `list ${words} ${bound} item${Number(bound) === 1 ? '' : 's'}` : issue.origin === 'string' ? `be ${words} ${bound} characters long` : `be ${words} ${bound}`;
      const got = issue.origin === 'array' ? `${(value as unknown[]).length} listed` : received(value);
      return { path, message: `${custom ?? `must ${what}`} (got ${got})` };
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      const guess = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : '';
      return { path, message: `expected one of ${options.join(', ')}, got ${received(value)}`, ...(guess ? { fix: guess } : {}) };
    }
    default: {
      // A custom check may name the fix (`params.fix`) along with the problem.
      const fix = issue.code === 'custom' && typeof issue.params?.fix === 'string' ? { fix: issue.params.fix } : {};
      return { path, message: value === undefined ? issue.message : `${issue.message} (got ${received(value)})`, ...fix };
    }
  }
}
