import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar, type ScalarTag, type Tags, visit } from 'yaml';
import type { KubeObject, ObjectSource, ReadProblem } from './types';
import type { ParseCache } from './parse-cache';
import { readProblems } from './yaml-problems';

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

/** Kustomize's configuration files: they describe how to build manifests, they are not objects (kubectl skips them too). */
const KUSTOMIZE_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** Compose's file names (`npm run local` writes dist/compose/compose.yaml): containers, not Kubernetes objects. */
const COMPOSE_FILES = new Set(['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']);

/** Grafana dashboards that `npm run synth` writes beside the manifests for import (`dist/<env>/dashboards/`): not objects. */
const GRAFANA_DASHBOARD_FILE = /\.grafana\.json$/i;

/** Whether a file of a directory is read as manifests: a manifest extension, and not cdk8s', kustomize's, Compose's or Grafana's own files. */
export function isManifestFile(name: string): boolean {
  return MANIFEST_FILE.test(name) && name !== CDK8S_METADATA_FILE && !KUSTOMIZE_FILES.has(name) && !COMPOSE_FILES.has(name)
    && !GRAFANA_DASHBOARD_FILE.test(name);
}

/**
 * YAML 1.1 as Go's yaml library (sigs.k8s.io/yaml, what kubectl uses) resolves plain scalars: `yes`/`no`/`on`/`off`/`y`/`n`
 * are booleans, `0755` is octal, `1_000` is 1000, `<<` merges. Unlike the `yaml` package's 1.1 schema, Go has no
 * sexagesimal numbers (`12:30` stays a string) and keeps timestamps as written (JSON has no time type).
 */
const GO_YAML_TAGS = (tags: Tags): Tags => tags
  .filter((tag) => (tag as { format?: string }).format !== 'TIME' && !String((tag as { tag?: string }).tag).endsWith(':timestamp'))
  .flatMap((tag) => {
    const { tag: name, test } = tag as { tag?: string; test?: RegExp };
    if (name !== FLOAT_TAG) return [tag];
    // `.nan`/`.inf` stay (kubectl then fails to write them as JSON: see yaml-problems.ts); Go's floats replace the others.
    return test?.test('.nan') ? [tag, GO_FLOAT] : [];
  });

const FLOAT_TAG = 'tag:yaml.org,2002:float';

/**
 * A float as Go's yaml (v2, under sigs.k8s.io/yaml) resolves a plain scalar: one starting with `.` is a float when
 * strconv.ParseFloat takes it (`.5`, `.5e3`), one starting with a digit or a sign when it matches
 * `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` once underscores are dropped. Anything else is a string: the
 * `yaml` package's 1.1 floats would read Istio's `exportTo: [.]` (and `e3`, `+.`) as NaN. A float out of range (`1e999`)
 * is a string too, as ParseFloat fails on it.
 */
const GO_FLOAT: ScalarTag = {
  tag: FLOAT_TAG,
  default: true,
  identify: (value) => typeof value === 'number',
  test: /^(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|(?=[-+0-9])[-+]?_*(?:\._*[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE]_*[-+]?_*[0-9][0-9_]*)?)$/,
  resolve: (source) => {
    const value = Number.parseFloat(source.replace(/_/g, ''));
    return Number.isFinite(value) ? value : source;
  },
};

/**
 * Reads every manifest under `paths` (files, or directories searched recursively for .yaml, .yml and .json files, in
 * name order, except cdk8s' construct-metadata.json): multi-document YAML, `List` kinds flattened. Throws InputError for a missing path or unparsable input.
 */
export function loadManifests(paths: readonly string[]): LoadedObjects {
  return loadFiles(paths.flatMap(manifestFiles));
}

/** Reads the manifests of `files` (files, not directories), in order. Throws InputError as loadManifests does. */
export function loadFiles(files: readonly string[], cache?: ParseCache): LoadedObjects {
  const loaded: LoadedObjects = { objects: [], sources: [] };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError(`${file}: cannot read: ${(error as Error).message}`);
    }
    const cached = cache?.get(text);
    if (cached) {
      loaded.objects.push(...cached.objects);
      loaded.sources.push(...cached.lines.map((line) => ({ file, line })));
      continue;
    }
    const parsed: LoadedObjects = { objects: [], sources: [] };
    parseManifests(text, file, parsed);
    loaded.objects.push(...parsed.objects);
    loaded.sources.push(...parsed.sources);
    if (parsed.sources.every((source) => !source.readProblems)) cache?.set(text, { objects: parsed.objects, lines: parsed.sources.map((source) => source.line ?? 1) });
  }
  return loaded;
}

/** The manifest files of `path`: itself if it is a file, else those under it (recursively, in name order). */
export function manifestFiles(path: string): string[] {
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
      return isManifestFile(child.name) ? [childPath] : [];
    });
}

/**
 * Parses one file's YAML documents into `into`; throws InputError at the first syntax error or non-object document. What
 * kubectl would refuse in a document that parses (a key set twice, `.nan`) is recorded in the object's source.
 */
export function parseManifests(text: string, file: string, into: LoadedObjects): void {
  const lineCounter = new LineCounter();
  // As kubectl reads YAML: 1.1 scalars (see GO_YAML_TAGS) and `<<` merge keys, which YAML 1.2 would keep as a field name.
  // A repeated key is a finding of its object (yaml-problems.ts), not a parse error of the whole input.
  const documents = parseAllDocuments(text, { lineCounter, merge: true, version: '1.1', customTags: GO_YAML_TAGS, uniqueKeys: false });
  const lineOf = (offset: number | undefined): number => lineCounter.linePos(offset ?? 0).line;
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    const [error] = document.errors;
    if (error) {
      const position = error.linePos?.[0];
      throw new InputError(`${file}:${position ? `${position.line}:${position.col}` : '1'}: ${error.message.split('\n')[0]}`);
    }
    const line = lineOf(document.contents?.range?.[0]);
    keepFlowScalarsWhole(document, text);
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
        into.sources.push(withProblems({ file, line: itemLine }, readProblems(node, lineOf)));
      });
      continue;
    }
    into.objects.push(object);
    into.sources.push(withProblems({ file, line }, readProblems(document.contents, lineOf)));
  }
}

function withProblems(source: ObjectSource, problems: ReadProblem[]): ObjectSource {
  return problems.length > 0 ? { ...source, readProblems: problems } : source;
}

/**
 * In a flow sequence, Go's yaml reads `[1.2.3.4, 001:db8::]` as two strings, where the `yaml` package takes the `:` before
 * `]` or `,` as a value indicator and makes `{"001:db8:": null}`: such a key-only pair (no space after its colon, no
 * value) becomes the scalar it was written as.
 */
function keepFlowScalarsWhole(document: Document.Parsed, text: string): void {
  visit(document, {
    Seq(_key, seq) {
      if (!seq.flow) return;
      seq.items = seq.items.map((item) => {
        if (!isMap(item) || !item.flow || item.items.length !== 1 || !isPair(item.items[0])) return item;
        const { key, value } = item.items[0];
        if (!isScalar(key) || key.type !== 'PLAIN' || (value !== null && !(isScalar(value) && value.source === '')) || !key.range) return item;
        const end = key.range[1];
        if (text[end] !== ':' || !/[,\]]/.test(text.slice(end + 1).trimStart()[0] ?? '')) return item;
        if (/\s/.test(text[end + 1] ?? '')) return item;
        const whole = new Scalar(`${text.slice(key.range[0], end)}:`);
        whole.range = [key.range[0], end + 1, end + 1];
        return whole;
      });
    },
  });
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
