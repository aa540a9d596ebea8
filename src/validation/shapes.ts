/**
 * Defensive readers for the parts of Kubernetes objects the reference and policy rules look at. Input may be invalid
 * (the schema rules report that), so every reader tolerates missing or mistyped fields instead of throwing.
 */

/** A JSON object with unknown fields. */
export type Json = Record<string, unknown>;

/** `value` if it is a plain object, else an empty one. */
export function record(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** `value` if it is an array of plain objects (others dropped), else an empty array. */
export function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((item) => item !== null && typeof item === 'object').map(record) : [];
}

/** `value` if it is a string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `value` if it is a number, else undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** String values of a string map (labels, selectors); non-string values dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(record(value))) if (typeof item === 'string') out[key] = item;
  return out;
}

/** Strings of an array; others dropped. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Appends segments to a dotted field path: `at('spec.http', 0, 'route')` is `spec.http[0].route`; keys that are not plain
 * identifiers are quoted: `metadata.annotations["example.com/key"]`.
 */
export function at(base: string, ...segments: (string | number)[]): string {
  let path = base;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (!/^[A-Za-z0-9_$-]+$/.test(segment)) path += `[${JSON.stringify(segment)}]`;
    else path += path ? `.${segment}` : segment;
  }
  return path;
}
