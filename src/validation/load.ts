import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Document, isMap, isSeq, LineCounter, parseAllDocuments, visit } from 'yaml';
import type { KubeObject, ObjectSource } from './types';

/** Input that cannot be read or parsed; the message starts with `file:line:column` when there is one. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Objects read from files, with where each came from (same order). */
export interface LoadedObjects {
  readonly objects: KubeObject[];
  readonly sources: ObjectSource[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** cdk8s writes this next to the manifests it synthesizes; it describes constructs, it is not a manifest. */
const CDK8S_METADATA_FILE = 'construct-metadata.json';

/**
 * Reads every manifest under `paths` (files, or directories searched recursively for .yaml, .yml and .json files, in
 * name order, except cdk8s' construct-metadata.json): multi-document YAML, `List` kinds flattened. Throws InputError for a missing path or unparsable input.
 */
export function loadManifests(paths: readonly string[]): LoadedObjects {
  const loaded: LoadedObjects = { objects: [], sources: [] };
  for (const file of paths.flatMap(manifestFiles)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError(`${file}: cannot read: ${(error as Error).message}`);
    }
    parseManifests(text, file, loaded);
  }
  return loaded;
}

function manifestFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new InputError(`${path}: no such file or directory`);
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((child) => {
      const childPath = join(path, child.name);
      if (child.isDirectory()) return manifestFiles(childPath);
      return MANIFEST_FILE.test(child.name) && child.name !== CDK8S_METADATA_FILE ? [childPath] : [];
    });
}

/** Parses one file's YAML documents into `into`; throws InputError at the first syntax error or non-object document. */
export function parseManifests(text: string, file: string, into: LoadedObjects): void {
  const lineCounter = new LineCounter();
  // `<<` merge keys as kubectl (YAML 1.1) reads them; YAML 1.2 alone would keep `<<` as a field name.
  const documents = parseAllDocuments(text, { lineCounter, merge: true });
  const lineOf = (offset: number | undefined): number => lineCounter.linePos(offset ?? 0).line;
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    const [error] = document.errors;
    if (error) {
      const position = error.linePos?.[0];
      throw new InputError(`${file}:${position ? `${position.line}:${position.col}` : '1'}: ${error.message.split('\n')[0]}`);
    }
    const line = lineOf(document.contents?.range?.[0]);
    const value = toJS(document, file, (offset) => lineOf(offset ?? document.contents?.range?.[0]));
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(`${file}:${line}: a manifest document must be an object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
    }
    const object = value as KubeObject;
    const items = object.items;
    if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(items)) {
      const itemNodes = isMap(document.contents) ? document.contents.get('items', true) : undefined;
      items.forEach((item: unknown, i: number) => {
        const node = isSeq(itemNodes) ? itemNodes.items[i] : undefined;
        const itemLine = lineOf((node as { range?: [number] } | undefined)?.range?.[0] ?? document.contents?.range?.[0]);
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          throw new InputError(`${file}:${itemLine}: items[${i}] of ${object.kind} must be an object`);
        }
        into.objects.push(item as KubeObject);
        into.sources.push({ file, line: itemLine });
      });
      continue;
    }
    into.objects.push(object);
    into.sources.push({ file, line });
  }
}

/**
 * The document as plain JSON. Anchors are scoped to one document, so an alias to an anchor of another document (or a
 * resource-exhausting alias count) fails here: an InputError at the alias, not a crash.
 */
function toJS(document: Document.Parsed, file: string, lineOf: (offset: number | undefined) => number): unknown {
  try {
    return document.toJS();
  } catch (error) {
    let offset: number | undefined;
    visit(document, {
      Alias(_key, alias) {
        if (alias.resolve(document)) return undefined;
        offset = alias.range?.[0];
        return visit.BREAK;
      },
    });
    throw new InputError(`${file}:${lineOf(offset)}: ${(error as Error).message}`);
  }
}
