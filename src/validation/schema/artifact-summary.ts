/**
 * What the validator needs of a schema artifact on every run, without its schemas: the kinds it serves, and per kind
 * the key of its compiled code and whether its schemas declare defaults. Parsing the artifacts (about a megabyte of
 * JSON) took a tenth of a cold `npm run validate`; the summaries are kept in the validator cache, whose key covers the
 * artifacts' texts (validator-cache.ts), so a changed artifact is summarized again, never misread.
 */
import { createHash } from 'node:crypto';
import type { Artifact } from './artifact';

/** Definitions whose `pattern` the validator reads (errors.ts, references/workloads.ts), where an artifact has them. */
export const PATTERN_DEFINITIONS = ['io.k8s.apimachinery.pkg.api.resource.Quantity', 'mesh-platform.PortNameOrNumber'] as const;

/** One kind's definition, summarized. */
export interface DefinitionSummary {
  /**
   * The SHA-256 (its first 128 bits) of the definition and every definition it refers to: what its compiled code is
   * made from, so equal in two versions whose schemas of the kind are equal (which then share one validation function).
   */
  readonly closure: string;
  /** Whether those schemas declare a `default`, which validation writes into what it validates. */
  readonly appliesDefaults: boolean;
}

/** One artifact (composed with its bases), summarized. */
export interface ArtifactSummary {
  /** `group/version/kind` → definition, as in the artifact. */
  readonly kinds: Readonly<Record<string, string>>;
  /** Per definition a kind maps to. */
  readonly definitions: Readonly<Record<string, DefinitionSummary>>;
  /** The `pattern` of each of PATTERN_DEFINITIONS the (composed) artifact defines. */
  readonly patterns: Readonly<Record<string, string>>;
}

/** Keywords whose values are data, not schemas (an object there is no schema to look into). */
const VALUE_KEYWORDS: ReadonlySet<string> = new Set(['enum', 'const', 'default', 'required', 'x-kubernetes-validations', 'x-kubernetes-list-map-keys']);
/** Keywords whose values map names to schemas (a property named `default` is no default). */
const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set(['properties', 'patternProperties', 'definitions']);

/** The definitions `definition` reaches through `$ref` (itself first, then in the order found). */
function closureOf(definitions: Record<string, unknown>, definition: string): string[] {
  const reached = [definition];
  for (let i = 0; i < reached.length; i++) {
    for (const [, name] of JSON.stringify(definitions[reached[i]] ?? null).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) {
      if (!reached.includes(name)) reached.push(name);
    }
  }
  return reached;
}

/** Whether a schema declares a `default` (schemas under `$ref` aside: closureOf reaches those). */
function declaresDefault(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(declaresDefault);
  if (node === null || typeof node !== 'object') return false;
  if ('default' in node) return true;
  return Object.entries(node).some(([keyword, value]) => {
    if (VALUE_KEYWORDS.has(keyword)) return false;
    if (SCHEMA_MAP_KEYWORDS.has(keyword) && value !== null && typeof value === 'object') return Object.values(value).some(declaresDefault);
    return declaresDefault(value);
  });
}

/** Summarizes an artifact (composed with its bases). */
export function summarize(artifact: Artifact): ArtifactSummary {
  const { definitions } = artifact.schema;
  const summaries: Record<string, DefinitionSummary> = {};
  for (const definition of new Set(Object.values(artifact.kinds))) {
    const closure = closureOf(definitions, definition);
    const hash = createHash('sha256');
    for (const name of closure) hash.update(name).update('\0').update(JSON.stringify(definitions[name] ?? null)).update('\0');
    summaries[definition] = { closure: hash.digest('hex').slice(0, 32), appliesDefaults: closure.some((name) => declaresDefault(definitions[name])) };
  }
  const patterns: Record<string, string> = {};
  for (const name of PATTERN_DEFINITIONS) {
    const pattern = (definitions[name] as { pattern?: unknown } | undefined)?.pattern;
    if (typeof pattern === 'string') patterns[name] = pattern;
  }
  return { kinds: artifact.kinds, definitions: summaries, patterns };
}
