/**
 * What differs between two sets of synthesized objects, per object (`Kind namespace/name`): added, removed, or changed
 * with the field paths that differ and their values on each side. Pure: objects in, differences out.
 */

type Json = unknown;
/** A synthesized object, as plain JSON. */
export type ManifestObject = { kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

/** One field that differs; `undefined` on a side means the field is absent there. */
export interface FieldChange {
  readonly path: string;
  readonly before: Json;
  readonly after: Json;
}

/** One object's difference. */
export type ObjectDiff =
  | { readonly key: string; readonly change: 'added' | 'removed' }
  | { readonly key: string; readonly change: 'changed'; readonly fields: readonly FieldChange[] };

/** `Kind namespace/name`: unique per environment. */
export const objectKey = (object: ManifestObject): string =>
  `${object.kind ?? '?'} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? '?'}`;

const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Array elements named by their `name` when every element has a unique one (containers, ports, env), else by index. */
function keyed(list: readonly Json[]): Map<string, Json> | undefined {
  const names = list.map((item) => (isObject(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some((name) => name === undefined) || new Set(names).size !== names.length) return undefined;
  return new Map(list.map((item, i) => [`[${names[i]}]`, item]));
}

function fieldChanges(before: Json, after: Json, path: string, into: FieldChange[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  if (isObject(before) && isObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      fieldChanges(before[key], after[key], path ? `${path}.${key}` : key, into);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = keyed(before);
    const b = keyed(after);
    if (a && b) {
      for (const key of [...new Set([...a.keys(), ...b.keys()])]) fieldChanges(a.get(key), b.get(key), `${path}${key}`, into);
      return;
    }
    if (before.length === after.length) {
      before.forEach((item, i) => fieldChanges(item, after[i], `${path}[${i}]`, into));
      return;
    }
  }
  into.push({ path, before, after });
}

/** The differences from `before` to `after`, in `after`'s order then the removed ones. */
export function diffObjects(before: readonly ManifestObject[], after: readonly ManifestObject[]): ObjectDiff[] {
  const old = new Map(before.map((object) => [objectKey(object), object]));
  const now = new Map(after.map((object) => [objectKey(object), object]));
  const diffs: ObjectDiff[] = [];
  for (const [key, object] of now) {
    const previous = old.get(key);
    if (!previous) {
      diffs.push({ key, change: 'added' });
      continue;
    }
    const fields: FieldChange[] = [];
    fieldChanges(previous, object, '', fields);
    if (fields.length > 0) diffs.push({ key, change: 'changed', fields });
  }
  for (const key of old.keys()) if (!now.has(key)) diffs.push({ key, change: 'removed' });
  return diffs;
}

const shown = (value: Json): string => (value === undefined ? '(absent)' : JSON.stringify(value));

/** The differences as text: one line per object, then one per field. */
export function formatDiff(diffs: readonly ObjectDiff[], labels: readonly [string, string]): string {
  if (diffs.length === 0) return `no difference between ${labels[0]} and ${labels[1]}`;
  return diffs.map((diff) => {
    if (diff.change !== 'changed') return diff.change === 'added' ? `+ ${diff.key} (only in ${labels[1]})` : `- ${diff.key} (only in ${labels[0]})`;
    return [`~ ${diff.key}`, ...diff.fields.map((f) => `    ${f.path}: ${shown(f.before)} -> ${shown(f.after)}`)].join('\n');
  }).join('\n');
}

/** The objects that belong to one service (labelled `app.kubernetes.io/name: <service>`). */
export function serviceObjects(objects: readonly ManifestObject[], service: string): ManifestObject[] {
  return objects.filter((object) => object.metadata?.labels?.['app.kubernetes.io/name'] === service);
}
