import type { ErrorObject } from 'ajv';
import type { RuleId } from '../rules';
import { at } from '../shapes';
import { CEL_KEYWORD, LIST_TYPE_KEYWORD } from './keywords';
import { PORT_NAME_PATTERN, QUANTITY_PATTERN } from './registry';

/** A schema violation in the validator's terms: rule id, field path, message. */
export interface SchemaProblem {
  readonly rule: RuleId;
  readonly path: string;
  readonly message: string;
}

/**
 * Translates ajv's errors into one problem per real mistake. Errors raised inside `oneOf`/`anyOf`/`not` branches are
 * dropped: Istio writes "at most one of these fields" as `oneOf`, and its own error says that better.
 */
export function describeErrors(errors: readonly ErrorObject[]): SchemaProblem[] {
  return errors.filter((error) => !insideCombinator(error.schemaPath)).map(describe);
}

function insideCombinator(schemaPath: string): boolean {
  return /\/(oneOf|anyOf|allOf)\/\d+\/|\/not\//.test(schemaPath) || schemaPath.endsWith('/not');
}

/** `/spec/http/0/route` to `spec.http[0].route`. */
export function pointerToPath(pointer: string): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  return at('', ...segments.map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment)));
}

function describe(error: ErrorObject): SchemaProblem {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties ?? {}) as object);
      const guess = closest(field, known);
      return {
        rule: 'schema-unknown-field',
        path: at(path, field),
        message: `unknown field "${field}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
      };
    }
    case 'required':
      return { rule: 'schema-required', path: at(path, String(params.missingProperty)), message: `required field "${params.missingProperty}" is missing` };
    case 'type':
      return { rule: 'schema-type', path, message: `must be ${typeName(params.type)} (got ${describeValue(error.data)})` };
    case 'enum':
      return {
        rule: 'schema-enum',
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${describeValue(error.data)})`,
      };
    case 'pattern':
      if (params.pattern === QUANTITY_PATTERN) {
        return { rule: 'schema-value', path, message: `${describeValue(error.data)} is not a Kubernetes quantity (e.g. 250m, 1, 128Mi, 1Gi)` };
      }
      if (params.pattern === PORT_NAME_PATTERN) {
        return {
          rule: 'schema-value',
          path,
          message: `${describeValue(error.data)} is not a port name (a quoted port is a name: 1-15 lowercase letters, digits and "-", with a letter; write a port number unquoted)`,
        };
      }
      return { rule: 'schema-value', path, message: `${describeValue(error.data)} must match /${params.pattern}/` };
    case CEL_KEYWORD: {
      // A rule's fieldPath (`.spec.port`, `['key']`) is relative to the node the rule is declared on.
      const fieldPath = typeof params.fieldPath === 'string' ? params.fieldPath.replace(/^\./, '') : '';
      const fullPath = fieldPath ? (path ? `${path}${fieldPath.startsWith('[') ? '' : '.'}${fieldPath}` : fieldPath) : path;
      return { rule: 'schema-cel', path: fullPath, message: `${error.message ?? 'failed'} (CEL rule \`${String(params.rule)}\`)` };
    }
    case LIST_TYPE_KEYWORD:
      return { rule: 'schema-list-duplicate', path: at(path, Number(params.index)), message: error.message ?? 'duplicate item' };
    case 'oneOf':
      return { rule: 'schema-value', path, message: exclusiveMessage(error) };
    default:
      return { rule: 'schema-value', path, message: `${error.message ?? 'is invalid'} (got ${describeValue(error.data)})` };
  }
}

/** Istio's `oneOf: [{not: {anyOf: [{required: [a]}, …]}}, {required: [a]}, …]` means "at most one of a, …". */
function exclusiveMessage(error: ErrorObject): string {
  const branches = (error.schema ?? []) as { required?: string[] }[];
  const fields = branches.flatMap((branch) => branch.required ?? []);
  const data = (error.data ?? {}) as Record<string, unknown>;
  const present = fields.filter((field) => data[field] !== undefined);
  if (fields.length > 0 && present.length > 1) {
    return `only one of ${fields.join(', ')} may be set (got ${present.join(' and ')})`;
  }
  return 'must match exactly one of the allowed forms';
}

function typeName(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => (t === 'integer' ? 'an integer' : t === 'object' ? 'an object' : t === 'array' ? 'an array' : `a ${t}`)).join(' or ');
}

/** A value for a message: strings quoted, objects and arrays named, long values cut. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  // YAML's spelling of what JSON cannot hold (object-yaml reports the value itself).
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The known name closest to `name` (case-insensitive equal, or at most 2 edits), for "did you mean". */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
