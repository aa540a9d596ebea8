import type { Options, ValidateFunction } from 'ajv';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Artifact } from './artifact';
import { type ArtifactSummary, PATTERN_DEFINITIONS, summarize } from './artifact-summary';
import type { SchemaCompiler } from './compiler';
import { ValidatorCache } from './validator-cache';

/**
 * Kubernetes' own API groups, Istio's, or the Gateway API's (`gateway.networking.k8s.io`, a CRD group although it ends
 * in `.k8s.io`): the families of schemas, checked against versions of their own.
 */
export type ApiFamily = 'kubernetes' | 'istio' | 'gateway-api' | 'prometheus-operator' | 'keda' | 'flagger';

/** How a family is named in messages. */
export const FAMILY_NAMES: Record<ApiFamily, string> = {
  kubernetes: 'Kubernetes', istio: 'Istio', 'gateway-api': 'Gateway API', 'prometheus-operator': 'Prometheus Operator', keda: 'KEDA', flagger: 'Flagger',
};

/** The API groups of the monitoring and delivery families, whose every kind the platform uses has a schema. */
const MONITORING_GROUPS: Readonly<Record<string, ApiFamily>> = { 'monitoring.coreos.com': 'prometheus-operator', 'keda.sh': 'keda', 'flagger.app': 'flagger' };

/** The schema set one object is checked against, with a label for messages. */
export interface SchemaSet {
  /** e.g. `Kubernetes 1.27`, `Istio 1.22.8`. */
  readonly label: string;
  readonly validate: ValidateFunction;
  /**
   * Whether the schema declares defaults, which validation writes into what it validates (so it must validate a copy);
   * false for every built-in and Istio kind.
   */
  readonly appliesDefaults: boolean;
}

/** Where imports/generate-schemas.ts writes the artifacts. */
const SCHEMAS_DIR = join(__dirname, '../../../imports/schemas');
const FILES = existsSync(SCHEMAS_DIR) ? readdirSync(SCHEMAS_DIR) : [];

/** Dotted versions compared numerically (`1.9` before `1.27`). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((version) => version.split('.').map(Number));
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return 0;
}

/** Artifact files by version, from their names (`kubernetes-1.36.3.json` is API level 1.36, `istio-1.31.4.json` 1.31.1). */
function artifactFiles(pattern: RegExp): ReadonlyMap<string, string> {
  const entries = FILES.flatMap((file) => {
    const version = pattern.exec(file)?.[1];
    return version ? [[version, file] as const] : [];
  });
  return new Map(entries.sort(([a], [b]) => compareVersions(a, b)));
}

/**
 * Suffix of a Gateway API version in the experimental channel (`1.6.0-experimental`, file
 * `gateway-api-1.6.0-experimental.json`); a version without it is the standard channel's.
 */
export const EXPERIMENTAL_CHANNEL_SUFFIX = '-experimental';

const ARTIFACT_FILES: Readonly<Record<ApiFamily, ReadonlyMap<string, string>>> = {
  kubernetes: artifactFiles(/^kubernetes-(\d+\.\d+)\.\d+\.json$/),
  istio: artifactFiles(/^istio-(.+)\.json$/),
  'gateway-api': new Map([
    ...artifactFiles(/^gateway-api-(\d+\.\d+\.\d+)\.json$/),
    ...[...artifactFiles(/^gateway-api-(\d+\.\d+\.\d+)-experimental\.json$/)].map(([version, file]) => [`${version}${EXPERIMENTAL_CHANNEL_SUFFIX}`, file] as const),
  ]),
  'prometheus-operator': artifactFiles(/^prometheus-operator-(\d+\.\d+\.\d+)\.json$/),
  keda: artifactFiles(/^keda-(\d+\.\d+\.\d+)\.json$/),
  flagger: artifactFiles(/^flagger-(\d+\.\d+\.\d+)\.json$/),
};

/** Kubernetes API levels with generated schemas in imports/schemas/ (`kubernetes-<release>.json`), oldest first. */
export const AVAILABLE_KUBERNETES_VERSIONS: readonly string[] = [...ARTIFACT_FILES.kubernetes.keys()];
/** Istio releases with generated schemas in imports/schemas/ (`istio-<version>.json`), oldest first. */
export const AVAILABLE_ISTIO_VERSIONS: readonly string[] = [...ARTIFACT_FILES.istio.keys()];
/** Gateway API releases with generated standard-channel schemas in imports/schemas/ (`gateway-api-<version>.json`), oldest first. */
export const AVAILABLE_GATEWAY_API_VERSIONS: readonly string[] = [...ARTIFACT_FILES['gateway-api'].keys()].filter((version) => !version.endsWith(EXPERIMENTAL_CHANNEL_SUFFIX));
/** Prometheus Operator releases with generated schemas (`prometheus-operator-<version>.json`). */
export const AVAILABLE_PROMETHEUS_OPERATOR_VERSIONS: readonly string[] = [...ARTIFACT_FILES['prometheus-operator'].keys()];
/** KEDA releases with generated schemas (`keda-<version>.json`). */
export const AVAILABLE_KEDA_VERSIONS: readonly string[] = [...ARTIFACT_FILES.keda.keys()];
/** Flagger releases with generated schemas (`flagger-<version>.json`). */
export const AVAILABLE_FLAGGER_VERSIONS: readonly string[] = [...ARTIFACT_FILES.flagger.keys()];
/** The Gateway API releases' experimental-channel schemas (`gateway-api-<version>-experimental.json`), as `<version>-experimental`. */
export const AVAILABLE_GATEWAY_API_EXPERIMENTAL_VERSIONS: readonly string[] = [...ARTIFACT_FILES['gateway-api'].keys()].filter((version) => version.endsWith(EXPERIMENTAL_CHANNEL_SUFFIX));

/** How a version is named in messages: `Istio 1.31.4`, `Gateway API 1.6.0 (experimental channel)`. */
export function versionLabel(family: ApiFamily, version: string): string {
  if (family === 'gateway-api' && version.endsWith(EXPERIMENTAL_CHANNEL_SUFFIX)) {
    return `${FAMILY_NAMES[family]} ${version.slice(0, -EXPERIMENTAL_CHANNEL_SUFFIX.length)} (experimental channel)`;
  }
  return `${FAMILY_NAMES[family]} ${version}`;
}

/**
 * Strict about the schemas (unknown keywords throw) but not about type unions, which int-or-string needs. Defaults are
 * applied (to a copy of each object, see check.ts) as the API server applies a CRD's defaults before its CEL rules run:
 * Gateway API rules read defaulted fields (`self.type` of a path match). `code.source` keeps the generated code, which
 * the validator cache stores.
 */
const AJV_OPTIONS: Options = {
  allErrors: true, verbose: true, allowUnionTypes: true, strictTypes: false, validateSchema: false, useDefaults: true, code: { source: true },
};

/** Every artifact file (a base included), by name. */
const ARTIFACT_NAMES: readonly string[] = [...new Set(Object.values(ARTIFACT_FILES).flatMap((files) => [...files.values()]))].sort();

const texts = new Map<string, string>();
/** An artifact file's text, read once per process. */
function artifactText(file: string): string {
  let text = texts.get(file);
  if (text === undefined) {
    text = readFileSync(join(SCHEMAS_DIR, file), 'utf8');
    texts.set(file, text);
  }
  return text;
}

const composed = new Map<string, Artifact>();
/** Reads an artifact, composed with its base (and the base's base); parsed once per process. */
function readArtifact(file: string): Artifact {
  let artifact = composed.get(file);
  if (!artifact) {
    const own = JSON.parse(artifactText(file)) as Artifact;
    const base = own.base ? readArtifact(own.base) : undefined;
    artifact = base ? { ...own, schema: { ...own.schema, definitions: { ...base.schema.definitions, ...own.schema.definitions } } } : own;
    composed.set(file, artifact);
  }
  return artifact;
}

/** The artifact file of one version. */
function artifactFile(family: ApiFamily, version: string): string {
  const file = ARTIFACT_FILES[family].get(version);
  if (!file) throw new Error(`validation: no schemas for ${family} ${version} (available: ${[...ARTIFACT_FILES[family].keys()].join(', ')})`);
  return file;
}

/** The artifact of one version as the validator compiles it (composed with its base), e.g. for the benchmark. */
export function schemaArtifact(family: ApiFamily, version: string): Artifact {
  return readArtifact(artifactFile(family, version));
}

let processCache: ValidatorCache | undefined;
/** The validator cache, keyed by every artifact's text and the ajv options (validator-cache.ts adds the rest). */
function validatorCache(): ValidatorCache {
  processCache ??= new ValidatorCache([...ARTIFACT_NAMES.flatMap((file) => [file, artifactText(file)]), JSON.stringify(AJV_OPTIONS)]);
  return processCache;
}

let processSummaries: Record<string, ArtifactSummary> | undefined;
/** An artifact's summary: from the validator cache, else made from every artifact (parsing them once) and cached. */
function summaryOf(file: string): ArtifactSummary {
  if (!processSummaries) {
    const cached = validatorCache().loadSummaries();
    if (cached && ARTIFACT_NAMES.every((name) => cached[name])) processSummaries = cached;
    else {
      processSummaries = Object.fromEntries(ARTIFACT_NAMES.map((name) => [name, summarize(readArtifact(name))]));
      validatorCache().storeSummaries(processSummaries);
    }
  }
  return processSummaries[file];
}

/** The `pattern` of one of PATTERN_DEFINITIONS in the oldest Kubernetes artifact, which defines both. */
function floorPattern(definition: (typeof PATTERN_DEFINITIONS)[number]): string {
  const pattern = summaryOf(ARTIFACT_FILES.kubernetes.values().next().value ?? 'kubernetes-missing.json')?.patterns[definition];
  if (pattern === undefined) throw new Error(`validation: the oldest Kubernetes schemas define no ${definition} pattern (regenerate imports/schemas)`);
  return pattern;
}

/** The pattern the generated Quantity definition uses, so errors against it can say "not a quantity". */
export const QUANTITY_PATTERN = floorPattern('io.k8s.apimachinery.pkg.api.resource.Quantity');

/** The pattern of a port given as a string (a port name), so errors against it can say "not a port name". */
export const PORT_NAME_PATTERN = floorPattern('mesh-platform.PortNameOrNumber');

/**
 * The validation functions of the generated schemas, once per process and lazily per kind: from the validator cache
 * (validator-cache.ts) when it has the kind's code, else compiled with ajv (compiling a kind takes tens to hundreds of
 * milliseconds, validating an object microseconds) and then cached for the next process. Versions whose schemas of a
 * kind are equal get the same function.
 */
export class SchemaRegistry {
  private static shared?: SchemaRegistry;
  /** Created on the first kind the cache does not have; a run served from the cache never loads ajv's compiler. */
  private compiler?: SchemaCompiler;
  /** By DefinitionSummary.closure. */
  private readonly compiled = new Map<string, Omit<SchemaSet, 'label'>>();

  /** The process-wide registry (schemas are immutable, so one compilation serves every validation). */
  static get(): SchemaRegistry {
    SchemaRegistry.shared ??= new SchemaRegistry();
    return SchemaRegistry.shared;
  }

  private constructor() {}

  /** The schema set of `apiVersion/kind` (`key`, e.g. `apps/v1/Deployment`) in one version; undefined if it does not serve it. */
  schemaFor(family: ApiFamily, version: string, key: string): SchemaSet | undefined {
    const file = artifactFile(family, version);
    const definition = summaryOf(file).kinds[key];
    if (!definition) return undefined;
    return { label: versionLabel(family, version), ...this.compile(file, definition) };
  }

  /** Whether `version` serves `apiVersion/kind` (`key`). */
  serves(family: ApiFamily, version: string, key: string): boolean {
    return summaryOf(artifactFile(family, version)).kinds[key] !== undefined;
  }

  /** The `apiVersion/kind` keys `version` serves. */
  kinds(family: ApiFamily, version: string): string[] {
    return Object.keys(summaryOf(artifactFile(family, version)).kinds);
  }

  /**
   * The API family of `group`: Kubernetes', Istio's, the Gateway API's, the Prometheus Operator's, KEDA's or Flagger's, whose kinds all have schemas (so an unknown
   * kind there is a mistake); undefined for any other group (a custom resource, not checked).
   */
  familyOf(group: string): ApiFamily | undefined {
    if (isBuiltInGroup(group)) return 'kubernetes';
    if (GATEWAY_API_GROUPS.has(group)) return 'gateway-api';
    if (MONITORING_GROUPS[group]) return MONITORING_GROUPS[group];
    return group === 'istio.io' || group.endsWith('.istio.io') ? 'istio' : undefined;
  }

  private compile(file: string, definition: string): Omit<SchemaSet, 'label'> {
    const { closure, appliesDefaults } = summaryOf(file).definitions[definition];
    let compiled = this.compiled.get(closure);
    if (!compiled) {
      let validate = validatorCache().load(closure);
      if (!validate) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a kind must be compiled
        this.compiler ??= new (require('./compiler') as typeof import('./compiler')).SchemaCompiler(AJV_OPTIONS);
        const fresh = this.compiler.compile(readArtifact(file), definition);
        validatorCache().store(closure, fresh.code);
        validate = fresh.validate;
      }
      compiled = { validate, appliesDefaults };
      this.compiled.set(closure, compiled);
    }
    return compiled;
  }
}

/** The group of `apps/v1/Deployment` (`` for `v1/Pod`). */
const groupOfKey = (key: string): string => (key.split('/').length === 3 ? key.split('/')[0] : '');

/** The Gateway API's groups (both channels: the experimental one adds `gateway.networking.x-k8s.io`), from the carried artifacts. */
const GATEWAY_API_GROUPS: ReadonlySet<string> = new Set(
  [...ARTIFACT_FILES['gateway-api'].values()].flatMap((file) => Object.keys(summaryOf(file).kinds).map(groupOfKey)),
);

/**
 * Kubernetes' own API groups: those some carried Kubernetes release serves (the core group, `apps`, `batch`,
 * `networking.k8s.io`, …, and those the lifecycle data knows removed). Not any group ending in `.k8s.io`: the Gateway
 * API (`gateway.networking.k8s.io`) and other SIG projects are CRDs.
 */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  // Built-in groups whose last kinds were removed before the floor (1.27): still Kubernetes', so an error, not a CRD.
  'extensions', 'settings.k8s.io', 'auditregistration.k8s.io',
  ...[...ARTIFACT_FILES.kubernetes.values()].flatMap((file) => Object.keys(summaryOf(file).kinds).map(groupOfKey)),
  ...Object.keys(lifecycleKinds()).map(groupOfKey),
]);

function lifecycleKinds(): Record<string, unknown> {
  const file = join(SCHEMAS_DIR, 'kubernetes-lifecycle.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { kinds: Record<string, unknown> }).kinds : {};
}

/** Whether `group` is one of Kubernetes' own API groups (see BUILT_IN_GROUPS). */
export function isBuiltInGroup(group: string): boolean {
  return BUILT_IN_GROUPS.has(group);
}
