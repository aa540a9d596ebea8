/**
 * Manifests as YAML text, byte for byte what cdk8s writes (`Yaml.stringify`: the `yaml` package, YAML 1.1,
 * `lineWidth: 0`, `keepUndefined`), about three times faster for synthesized objects (`npm run bench:scale`).
 *
 * Why: `yaml` turns every object into a document of nodes before writing it, and decides every scalar's style
 * anew; at a thousand services writing the YAML took more CPU than synthesizing the objects. Here the structure of plain JSON (block maps and
 * sequences, as `yaml` lays them out) is written directly, and each scalar is written by `yaml` itself, once per
 * distinct value, indentation and position (key or value): synthesized manifests repeat the same labels, names and
 * settings thousands of times. A document holding anything but plain JSON (an `undefined`, a class instance, the same
 * object twice, which `yaml` would write as an alias) is written by `yaml` whole, as cdk8s would.
 * test/platform/manifest-yaml.test.ts checks the equality on every environment and on awkward scalars.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Yaml } from 'cdk8s';
import { Document, Scalar, stringify } from 'yaml';
import { stringTag, type StringifyContext } from 'yaml/util';

/** cdk8s' options of `yaml.stringify` (cdk8s/lib/yaml.js). */
const CDK8S_YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

/** Strings longer than this are written anew each time instead of kept for reuse (see ScalarTexts.value). */
const LONGEST_CACHED_STRING = 256;

/** `yaml`'s indentation step. */
const INDENT_STEP = '  ';

/** A value this writer leaves to `yaml` (the document is then written by `yaml` whole). */
class NotPlainJson extends Error {}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * What `yaml`'s context holds, for cdk8s' options, where a string scalar reads it: createStringifyContext's defaults
 * (yaml/dist/stringify/stringify.js) with `lineWidth: 0`, and a document of the YAML 1.1 schema, whose tags decide
 * which plain strings need quotes (`yes`, `0755`, `1_000`).
 */
const STRING_CONTEXT = {
  doc: new Document(null, CDK8S_YAML_OPTIONS),
  indentStep: INDENT_STEP,
  inFlow: null,
  anchors: new Set(),
  flowCollectionPadding: ' ',
  options: {
    blockQuote: true, defaultKeyType: null, defaultStringType: 'PLAIN', doubleQuotedAsJSON: false, doubleQuotedMinMultiLineLength: 40,
    lineWidth: CDK8S_YAML_OPTIONS.lineWidth, minContentWidth: 20, singleQuote: null,
  },
} as unknown as Omit<StringifyContext, 'indent' | 'implicitKey'>;

/** A string as `yaml` writes it in a context indented by `indent`, as a key or a value. */
function stringText(value: string, indent: number, implicitKey: boolean): string {
  return stringTag.stringify!(new Scalar(value), { ...STRING_CONTEXT, indent: ' '.repeat(indent), implicitKey } as StringifyContext);
}

/**
 * Scalars as `yaml` writes them, by position: a scalar's text depends on its value, on the indentation of its
 * context (block scalars are indented; top-level keys quote `---`) and on being a key (implicit keys are never block
 * scalars). Each distinct one is written once: strings by `yaml`'s string tag, numbers, booleans and null (their
 * text is the same at any depth) by `yaml` whole, as the value of a one-key map.
 */
class ScalarTexts {
  private readonly strings = new Map<number, Map<string, string>>();
  private readonly keys = new Map<number, Map<string, string>>();
  /** Numbers, booleans and null: written alike at any depth. */
  private readonly others = new Map<Json, string>();

  /** The scalar as a value (of a pair or a sequence item) whose context is indented by `indent` (two or more). */
  value(scalar: Json, indent: number): string {
    if (typeof scalar !== 'string') {
      let text = this.others.get(scalar);
      if (text === undefined) {
        if (Object.is(scalar, -0)) throw new NotPlainJson('-0'); // as Map keys, 0 and -0 are one
        text = stringify({ x: scalar }, CDK8S_YAML_OPTIONS).slice('x: '.length, -'\n'.length);
        this.others.set(scalar, text);
      }
      return text;
    }
    // A long string (a rule's expression, a dashboard's JSON) is as good as unique: kept, it would only hold memory.
    if (scalar.length > LONGEST_CACHED_STRING) return stringText(scalar, indent, false);
    let texts = this.strings.get(indent);
    if (!texts) this.strings.set(indent, (texts = new Map()));
    let text = texts.get(scalar);
    if (text === undefined) texts.set(scalar, (text = stringText(scalar, indent, false)));
    return text;
  }

  /** The string as the key of a pair whose context is indented by `indent` (two or more). */
  key(key: string, indent: number): string {
    let texts = this.keys.get(indent);
    if (!texts) this.keys.set(indent, (texts = new Map()));
    let text = texts.get(key);
    if (text === undefined) {
      text = stringText(key, indent, true);
      // An explicit key (`? key`, over 1,024 characters) or a YAML 1.1 merge key is left to yaml.
      if (text.length > 1024 || key === '<<') throw new NotPlainJson(key);
      texts.set(key, text);
    }
    return text;
  }
}

function isPlainObject(value: object): value is Record<string, Json> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Writes one document the way `yaml`'s block collections do (stringifyCollection, stringifyPair). */
class DocumentWriter {
  private readonly seen = new Set<object>();

  constructor(private readonly scalars: ScalarTexts) {}

  /** A node whose context is indented by `indent`. */
  node(value: unknown, indent: string): string {
    if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      if (indent === '') throw new NotPlainJson('a scalar document');
      return this.scalars.value(value, indent.length);
    }
    if (typeof value !== 'object') throw new NotPlainJson(typeof value);
    if (this.seen.has(value)) throw new NotPlainJson('an object referenced twice'); // yaml writes an alias
    this.seen.add(value);
    if (Array.isArray(value)) return this.sequence(value, indent);
    if (!isPlainObject(value)) throw new NotPlainJson('a class instance');
    return this.map(value, indent);
  }

  private sequence(items: readonly unknown[], indent: string): string {
    if (items.length === 0) return '[]';
    const itemIndent = indent + INDENT_STEP;
    let text = '';
    for (let i = 0; i < items.length; i++) text += `${i === 0 ? '' : `\n${indent}`}- ${this.node(items[i], itemIndent)}`;
    return text;
  }

  private map(map: Record<string, unknown>, indent: string): string {
    const keys = Object.keys(map);
    if (keys.length === 0) return '{}';
    const pairIndent = indent + INDENT_STEP;
    let text = '';
    for (let i = 0; i < keys.length; i++) {
      const value = map[keys[i]];
      if (value === undefined) throw new NotPlainJson('undefined'); // kept by keepUndefined
      // A collection that has items starts on the next line; `[]` and `{}` follow the key.
      const collection = typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
      const written = this.node(value, pairIndent);
      text += `${i === 0 ? '' : `\n${indent}`}${this.scalars.key(keys[i], pairIndent.length)}:${collection ? `\n${pairIndent}` : ' '}${written}`;
    }
    return text;
  }
}

/** The documents' texts in order, each followed by its separator: joined, what cdk8s' `Yaml.stringify(...objects)` returns. */
function* documentTexts(objects: readonly unknown[]): Generator<string> {
  const scalars = new ScalarTexts();
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i];
    let text: string;
    if (object === undefined) text = '\n';
    else {
      try {
        text = `${new DocumentWriter(scalars).node(object, '')}\n`;
      } catch (error) {
        if (!(error instanceof NotPlainJson)) throw error;
        text = Yaml.stringify(object);
      }
    }
    yield i < objects.length - 1 ? `${text}---\n` : text;
  }
}

/** The objects as one multi-document YAML text, byte for byte what cdk8s' `Yaml.stringify(...objects)` returns. */
export function manifestYaml(objects: readonly unknown[]): string {
  let text = '';
  for (const document of documentTexts(objects)) text += document;
  return text;
}

/** Bytes gathered before each write: the manifest is written as it is made, never held whole (50 MB at 1,000 services). */
const WRITE_CHUNK_BYTES = 1 << 20;

/** Writes the objects to `file` (creating its directory) as cdk8s' `App.synth()` would; returns the bytes written. */
export function writeManifest(file: string, objects: readonly unknown[]): number {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    let pending = '';
    const flush = () => {
      const buffer = Buffer.from(pending);
      // A write may be partial: write the rest until none is left.
      for (let written = 0; written < buffer.length;) written += writeSync(fd, buffer, written);
      bytes += buffer.length;
      pending = '';
    };
    for (const document of documentTexts(objects)) {
      pending += document;
      if (pending.length >= WRITE_CHUNK_BYTES) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}
