/**
 * Generates the JSON schemas the validator (src/validation) needs at run time into imports/schemas/ (see
 * imports/README.md). Run from the repository root: `npm run import:schemas`. Every version comes from src/versions.ts.
 *
 * Sources:
 * - Kubernetes: `k8s.io/kubernetes` at each release of KUBERNETES_SCHEMA_RELEASES, file api/openapi-spec/swagger.json
 *   (the OpenAPI v2 `definitions`). The x.y.0 releases between the floor and the current level give the API lifecycle:
 *   which release stopped (or started) serving each apiVersion/kind (`kubernetes-lifecycle.json`).
 * - Istio: `istio.io/api` at each release of ISTIO_SCHEMA_VERSIONS, file kubernetes/customresourcedefinitions.gen.yaml
 *   (every Istio CRD; the `base` chart's crd-all.gen.yaml is a copy of it); a release that module has no tag for
 *   (1.22.8) from its CRD file committed in imports/crds/ (`istio-<version>-crd-all.gen.yaml`, provenance in
 *   imports/crds/provenance.json; CRDS_DIR overrides the directory).
 * Go modules are fetched with `go mod download`. An artifact whose sources cannot be had is kept as committed and
 * reported as "kept (source not available)"; it is never deleted. The output is written to a temporary directory,
 * checked (every kind of every artifact compiles with ajv), and only then swapped in by renaming, so a failure leaves
 * imports/schemas/ as it was. imports/schemas/provenance.json records, per artifact, its sources (module@version and
 * path, or file) with their SHA-256, and the artifact's own SHA-256.
 *
 * The output is ready for ajv: descriptions and `x-kubernetes-*` annotations are dropped, unknown fields are made an error
 * (`additionalProperties: false` wherever a schema lists its properties, as `kubeconform -strict` does), int-or-string and
 * Quantity become union types, and each Istio CRD version becomes a complete object schema whose `metadata` is
 * Kubernetes' ObjectMeta (copied in, so an Istio artifact stands alone). Identical schemas of one CRD's versions are
 * stored once; a definition of the current Kubernetes level identical to the floor's (with everything it references)
 * is a `$ref` into the floor's artifact.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { compiles } from '../src/validation/schema/cel';
import { addKubernetesKeywords } from '../src/validation/schema/keywords';
import { FLAGGER, GATEWAY_API, ISTIO, KEDA, PROMETHEUS_OPERATOR, ISTIO_SCHEMA_VERSIONS, KUBERNETES_API, KUBERNETES_SCHEMA_RELEASES, TOOLCHAIN } from '../src/versions';

/** The repository root: the paths recorded in provenance are relative to it. */
const ROOT = resolve(__dirname, '..');
/** Directory holding upstream files that no Go module serves (older Istio CRDs); override with CRDS_DIR. */
const CRDS_DIR = resolve(process.env.CRDS_DIR ?? join(__dirname, 'crds'));
/** The output directory; SCHEMAS_OUT overrides it (the generator's tests run it on a copy). */
const OUT_DIR = resolve(process.env.SCHEMAS_OUT ?? join(__dirname, 'schemas'));
const PROVENANCE = 'provenance.json';
const LIFECYCLE = 'kubernetes-lifecycle.json';
const GENERATED_BY = 'imports/generate-schemas.ts';
const KUBERNETES_MODULE = TOOLCHAIN.kubernetes.module;
const KUBERNETES_OPENAPI = 'api/openapi-spec/swagger.json';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
/** The Gateway API's CRDs of one channel, committed with their provenance (imports/crds/provenance.json). */
const gatewayApiCrds = (channel: 'standard' | 'experimental'): string => `imports/crds/gateway-api-${GATEWAY_API.version}-${channel}.yaml`;

/** A Kubernetes quantity (`100m`, `1.5Gi`, `2e3`): apimachinery's resource.Quantity grammar. */
const QUANTITY_PATTERN = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$';

/**
 * A port given as a string is a port name, an IANA_SVC_NAME (apimachinery's IsValidPortName): at most 15 lowercase
 * letters, digits and single hyphens, with at least one letter. So the API server rejects `targetPort: "8080"`.
 */
const PORT_NAME_PATTERN = '^(?=.{1,15}$)(?=[a-z0-9-]*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]*[a-z0-9])?$';
const PORT_NAME_OR_NUMBER = 'mesh-platform.PortNameOrNumber';

/** Port numbers the API server requires in 1..65535 (the OpenAPI definitions say only int32). */
const PORT_NUMBER_FIELDS: Record<string, string[]> = {
  'io.k8s.api.core.v1.ContainerPort': ['containerPort', 'hostPort'],
  'io.k8s.api.core.v1.ServicePort': ['port'],
};

/** Port names the API server requires to be an IANA_SVC_NAME (a Service port name is a DNS label instead). */
const PORT_NAME_FIELDS: Record<string, string[]> = { 'io.k8s.api.core.v1.ContainerPort': ['name'] };

/** int-or-string fields that hold a port: a number, or the name of a container port. */
const PORT_FIELDS: Record<string, string[]> = {
  'io.k8s.api.core.v1.ServicePort': ['targetPort'],
  'io.k8s.api.core.v1.HTTPGetAction': ['port'],
  'io.k8s.api.core.v1.TCPSocketAction': ['port'],
  'io.k8s.api.networking.v1.NetworkPolicyPort': ['port'],
};

/**
 * Enumerations the Kubernetes OpenAPI v2 definitions (1.27 and 1.36 alike) leave as plain strings although the API
 * server rejects other values (values from the Kubernetes API reference, core/v1 and apps/v1 types). An enum the
 * upstream definition does give wins.
 */
const KUBERNETES_ENUMS: Record<string, Record<string, string[]>> = {
  'io.k8s.api.core.v1.Container': {
    imagePullPolicy: ['Always', 'Never', 'IfNotPresent'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  'io.k8s.api.core.v1.ContainerPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.core.v1.ServicePort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.core.v1.ServiceSpec': {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    sessionAffinity: ['ClientIP', 'None'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
  },
  'io.k8s.api.core.v1.PodSpec': {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  },
  'io.k8s.api.core.v1.SeccompProfile': { type: ['RuntimeDefault', 'Localhost', 'Unconfined'] },
  'io.k8s.api.core.v1.HTTPGetAction': { scheme: ['HTTP', 'HTTPS'] },
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: ['Recreate', 'RollingUpdate'] },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { unhealthyPodEvictionPolicy: ['IfHealthyBudget', 'AlwaysAllow'] },
};

type Schema = { [key: string]: unknown };

/** A generated schema artifact, as src/validation/schema/registry.ts reads it. */
interface Artifact {
  readonly generatedBy: string;
  readonly source: string;
  readonly kinds: Record<string, string>;
  /** The artifact this one is stored as a difference from (see asDelta). */
  readonly base?: string;
  readonly schema: { $id: string; definitions: Record<string, unknown> };
}

/** Where one upstream file comes from: a file of a Go module, or a local file. */
type SourceRef =
  | { readonly module: string; readonly version: string; readonly path: string }
  | { readonly file: string; readonly upstream: string };

/** One upstream file, read. */
interface Fetched {
  readonly text: string;
  readonly provenance: SourceRef & { readonly sha256: string };
}

/** One output file: what it is, the upstream files it is made from, and how. */
interface Plan {
  readonly file: string;
  readonly what: string;
  readonly sources: readonly SourceRef[];
  /** An artifact planned before that this one may be stored as a difference from (see stored). */
  readonly base?: string;
  /** Builds the artifact from the sources' texts (in `sources` order); `built` reads artifacts planned before, composed. */
  readonly build: (texts: readonly string[], built: (file: string) => Artifact) => Artifact | object;
}

/**
 * The `x-kubernetes-*` annotations a CRD schema keeps for the validator's keywords (src/validation/schema/keywords.ts):
 * CEL rules that cel-js compiles and that need no old object (`oldSelf`: transition rules), and list types.
 */
function crdExtensions(source: Schema): Schema {
  const out: Schema = {};
  const rules = ((source['x-kubernetes-validations'] ?? []) as { rule: string; message?: string; messageExpression?: string; fieldPath?: string }[])
    .filter((rule) => !/\boldSelf\b/.test(rule.rule))
    .map(({ rule, message, messageExpression, fieldPath }) => ({ rule, ...(message ? { message } : {}), ...(messageExpression ? { messageExpression } : {}), ...(fieldPath ? { fieldPath } : {}) }));
  for (const rule of rules) if (!compiles(rule.rule)) throw new Error(`CEL rule cel-js cannot compile: ${rule.rule}`);
  if (rules.length > 0) out['x-kubernetes-validations'] = rules;
  const listType = source['x-kubernetes-list-type'];
  if (listType === 'set' || (listType === 'map' && Array.isArray(source['x-kubernetes-list-map-keys']))) {
    out['x-kubernetes-list-type'] = listType;
    if (listType === 'map') out['x-kubernetes-list-map-keys'] = source['x-kubernetes-list-map-keys'];
  }
  return out;
}

/**
 * A Go (RE2) `pattern` as a JavaScript regular expression: RE2's inline case-insensitivity `(?i)`, which the Prometheus
 * Operator's CRDs use (month and weekday names, `partial_response_strategy`) and JavaScript before ES2025 lacks, becomes
 * `[xX]` for each letter from the flag to the end of its group. Other patterns are returned unchanged.
 */
export function jsPattern(pattern: string): string {
  if (!pattern.includes('(?i)')) return pattern;
  let out = '';
  // One entry per open group: whether the flag is on in it (it carries into nested groups).
  const insensitive: boolean[] = [false];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      out += pattern.slice(i, i + 2);
      i += 1;
    } else if (pattern.startsWith('(?i)', i)) {
      insensitive[insensitive.length - 1] = true;
      i += 3;
    } else if (inClass) {
      inClass = char !== ']';
      out += char;
    } else if (char === '[') {
      inClass = true;
      out += char;
    } else if (char === '(') {
      insensitive.push(insensitive[insensitive.length - 1]);
      out += char;
    } else if (char === ')') {
      insensitive.pop();
      out += char;
    } else if (insensitive[insensitive.length - 1] && /[a-z]/i.test(char) && !/\(\?[:=!<]?$/.test(out)) {
      out += `[${char.toLowerCase()}${char.toUpperCase()}]`;
    } else {
      out += char;
    }
  }
  return out;
}

/**
 * Returns a copy of `node` made strict and stripped of what validation does not use (see the file comment). `crd`: a
 * CustomResourceDefinition's schema, whose CEL rules and list types the API server enforces, so they are kept.
 */
/** The formats ajv checks (ajv-formats' full set); any other is dropped, as the API server ignores it. */
const KNOWN_FORMATS: ReadonlySet<string> = new Set(Object.keys(fullFormats));

export function strictSchema(node: unknown, crd = false): unknown {
  if (Array.isArray(node)) return node.map((item) => strictSchema(item, crd));
  if (node === null || typeof node !== 'object') return node;
  const source = node as Schema;
  const out: Schema = crd ? crdExtensions(source) : {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'description' || key.startsWith('x-kubernetes-')) continue;
    // The API server ignores a format it does not know (Flagger's CRDs say `format: string`); so does the validator.
    if (key === 'format' && typeof value === 'string' && value !== 'int-or-string' && !KNOWN_FORMATS.has(value)) continue;
    if (key === 'pattern' && typeof value === 'string') out[key] = jsPattern(value);
    else out[key] = key === 'properties' ? mapValues(value as Schema, (field) => strictSchema(field, crd)) : strictSchema(value, crd);
  }
  if (source['x-kubernetes-int-or-string'] === true || source.format === 'int-or-string') {
    delete out.anyOf;
    delete out.format;
    out.type = ['integer', 'string'];
  }
  const openEnded = source['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !openEnded) out.additionalProperties = false;
  return out;
}

function mapValues(object: Schema, fn: (value: unknown) => unknown): Schema {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted, to compare schemas whatever order upstream lists their fields in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Schema)[key])}`).join(',')}}`;
}

/** The names of the local definitions `schema` refers to (`#/definitions/<name>`). */
function localRefs(schema: unknown): string[] {
  return [...JSON.stringify(schema).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)].map((match) => match[1]);
}

/** `apiVersion/kind` keys (`apps/v1/Deployment`, `v1/Pod`) of the manifest kinds an OpenAPI v2 document defines. */
function openApiKinds(definitions: Record<string, Schema>): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const [name, definition] of Object.entries(definitions)) {
    const gvks = (definition['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[];
    for (const { group, version, kind } of gvks) {
      // Lists are flattened by the loader; meta kinds (DeleteOptions, WatchEvent, Status) are not manifests.
      if (kind.endsWith('List') || name.startsWith('io.k8s.apimachinery.pkg.apis.meta.')) continue;
      kinds.set(`${group ? `${group}/` : ''}${version}/${kind}`, name);
    }
  }
  return kinds;
}

function openApiDefinitions(text: string): Record<string, Schema> {
  return (JSON.parse(text) as { definitions: Record<string, Schema> }).definitions;
}

/** `v1.36.3` to `1.36.3`; `1.36.3` to its API level `1.36`. */
const bare = (release: string): string => release.replace(/^v/, '');
const levelOf = (release: string): string => bare(release).split('.').slice(0, 2).join('.');
const kubernetesFile = (level: string): string => `kubernetes-${bare(KUBERNETES_SCHEMA_RELEASES[level as keyof typeof KUBERNETES_SCHEMA_RELEASES])}.json`;

/**
 * Kubernetes at one release: the definitions of its manifest kinds and everything they reference, strict, with the
 * union types and enums fixed; `kinds` maps `apiVersion/kind` to a definition.
 */
function kubernetesArtifact(text: string, release: string, source: string): Artifact {
  const upstream = openApiDefinitions(text);
  const definitions: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(upstream)) {
    const strict = strictSchema(definition) as Schema;
    const properties = (strict.properties ?? {}) as Record<string, Schema>;
    for (const [property, values] of Object.entries(KUBERNETES_ENUMS[name] ?? {})) {
      if (properties[property] && properties[property].enum === undefined) properties[property].enum = values;
    }
    for (const property of PORT_FIELDS[name] ?? []) {
      if (properties[property]) properties[property] = { $ref: `#/definitions/${PORT_NAME_OR_NUMBER}` };
    }
    for (const property of PORT_NUMBER_FIELDS[name] ?? []) {
      if (properties[property]) properties[property] = { ...properties[property], minimum: 1, maximum: 65535 };
    }
    for (const property of PORT_NAME_FIELDS[name] ?? []) {
      if (properties[property]) properties[property] = { ...properties[property], pattern: PORT_NAME_PATTERN };
    }
    definitions[name] = strict;
  }
  definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { type: ['integer', 'string'] };
  definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { type: ['string', 'number'], pattern: QUANTITY_PATTERN };
  definitions[PORT_NAME_OR_NUMBER] = { type: ['integer', 'string'], pattern: PORT_NAME_PATTERN, minimum: 1, maximum: 65535 };
  const kinds = Object.fromEntries(openApiKinds(upstream));
  const roots = [...Object.values(kinds), 'io.k8s.apimachinery.pkg.api.resource.Quantity', PORT_NAME_OR_NUMBER];
  return { generatedBy: GENERATED_BY, source, kinds, schema: { $id: `kubernetes-${bare(release)}.json`, definitions: pruned(definitions, roots) } };
}

/** The definitions reachable from the artifact's kinds (Lists, meta-only and status-only types are not). */
function pruned(definitions: Record<string, unknown>, roots: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const visit = (name: string): void => {
    if (out[name] !== undefined) return;
    if (definitions[name] === undefined) throw new Error(`no definition ${name}, yet it is referenced`);
    out[name] = definitions[name];
    localRefs(out[name]).forEach(visit);
  };
  for (const root of roots) visit(root);
  return out;
}

/**
 * An artifact stored as its difference from `base` (an artifact of the same output, composed): only the definitions
 * that are not identical to the base's. The validator composes `{...base definitions, ...own}` under the artifact's
 * `$id`, so references resolve within the composed document.
 */
function asDelta(artifact: Artifact, base: Artifact, baseFile: string): Artifact {
  const baseDefinitions = base.schema.definitions;
  const own = Object.fromEntries(Object.entries(artifact.schema.definitions).filter(([name, definition]) =>
    baseDefinitions[name] === undefined || canonical(baseDefinitions[name]) !== canonical(definition)));
  return { ...artifact, base: baseFile, schema: { ...artifact.schema, definitions: own } };
}

/**
 * What to write for `artifact`: its difference from `base` when that saves at least a quarter of the size (a base is a
 * dependency: not worth it for a few KiB), else the artifact itself.
 */
function stored(artifact: Artifact | object, base?: Artifact, baseFile?: string): object {
  if (!base || !baseFile) return artifact;
  const delta = asDelta(artifact as Artifact, base, baseFile);
  return JSON.stringify(delta).length <= 0.75 * JSON.stringify(artifact).length ? delta : artifact;
}

/** The artifact `file` of `dir` with the definitions of its base (and theirs) composed in, as the validator reads it. */
function composed(dir: string, file: string): Artifact {
  const artifact = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Artifact;
  if (!artifact.base) return artifact;
  if (!existsSync(join(dir, artifact.base))) throw new Error(`${file} is stored as a difference from ${artifact.base}, which is missing`);
  const base = composed(dir, artifact.base);
  return { ...artifact, schema: { ...artifact.schema, definitions: { ...base.schema.definitions, ...artifact.schema.definitions } } };
}

/**
 * Which apiVersion/kind each Kubernetes release from the floor to the current level serves: `kinds` maps every key
 * not served by all of them to the first and last release that serves it (the floor meaning "the floor or earlier",
 * the current level "still served").
 */
function lifecycleArtifact(texts: readonly string[], levels: readonly string[], source: string): object {
  const served = texts.map((text) => new Set(openApiKinds(openApiDefinitions(text)).keys()));
  const all = [...new Set(served.flatMap((set) => [...set]))].sort();
  const kinds: Record<string, [string, string]> = {};
  for (const key of all) {
    const serving = levels.filter((_, i) => served[i].has(key));
    if (serving.length === levels.length) continue;
    const first = levels.indexOf(serving[0]);
    const last = levels.indexOf(serving[serving.length - 1]);
    if (last - first + 1 !== serving.length) throw new Error(`${key} is served by ${serving.join(', ')}: not one range of releases`);
    kinds[key] = [serving[0], serving[serving.length - 1]];
  }
  return { generatedBy: GENERATED_BY, source, releases: levels, kinds };
}

interface CustomResourceDefinition {
  kind?: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[];
  };
}

/** The ObjectMeta definition of `kubernetes` with every definition it references (a few KiB). */
function objectMetaDefinitions(kubernetes: Artifact): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const visit = (name: string): void => {
    if (out[name] !== undefined) return;
    out[name] = kubernetes.schema.definitions[name];
    if (out[name] === undefined) throw new Error(`${kubernetes.schema.$id} has no definition ${name}`);
    localRefs(out[name]).forEach(visit);
  };
  visit(OBJECT_META);
  return out;
}

/**
 * CustomResourceDefinitions (Istio's, the Gateway API's): one object schema per distinct CRD version schema, with its
 * CEL rules and list types; `kinds` maps `group/version/kind` to it. `id` names the artifact (`istio-1.31.4.json`).
 */
function crdArtifact(text: string, id: string, source: string, kubernetes: Artifact): Artifact {
  const crds = parseAllDocuments(text)
    .map((document) => document.toJS() as CustomResourceDefinition | null)
    .filter((crd): crd is CustomResourceDefinition => crd !== null && (crd.kind === undefined || crd.kind === 'CustomResourceDefinition'));
  const definitions: Record<string, unknown> = { ...objectMetaDefinitions(kubernetes) };
  const kinds: Record<string, string> = {};
  for (const { spec } of crds) {
    const byHash = new Map<string, string>();
    for (const version of spec.versions.filter((v) => v.served)) {
      const root = strictSchema(version.schema.openAPIV3Schema, true) as Schema;
      const hash = sha256(JSON.stringify(root));
      let name = byHash.get(hash);
      if (!name) {
        name = `${spec.group}.${spec.names.kind}.${version.name}`;
        byHash.set(hash, name);
        definitions[name] = {
          ...root,
          required: ['apiVersion', 'kind', 'metadata', ...((root.required as string[] | undefined) ?? [])],
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            metadata: { $ref: `#/definitions/${OBJECT_META}` },
            ...(root.properties as Schema),
          },
          additionalProperties: false,
        };
      }
      kinds[`${spec.group}/${version.name}/${spec.names.kind}`] = name;
    }
  }
  return { generatedBy: GENERATED_BY, source, kinds, schema: { $id: id, definitions } };
}

const describeSource = (ref: SourceRef): string => ('module' in ref ? `${ref.module}@${ref.version} ${ref.path}` : ref.file);

/** What to generate, in dependency order (the floor's Kubernetes artifact first: the others read it). */
function plans(): Plan[] {
  const levels = Object.keys(KUBERNETES_SCHEMA_RELEASES);
  for (const level of levels) {
    const release = KUBERNETES_SCHEMA_RELEASES[level as keyof typeof KUBERNETES_SCHEMA_RELEASES];
    if (levelOf(release) !== level) throw new Error(`KUBERNETES_SCHEMA_RELEASES: ${release} is not a release of Kubernetes ${level}`);
  }
  const floor = kubernetesFile(KUBERNETES_API.floor);
  const kubernetes: Plan[] = [KUBERNETES_API.floor, KUBERNETES_API.current].map((level) => {
    const release = KUBERNETES_SCHEMA_RELEASES[level];
    const source: SourceRef = { module: KUBERNETES_MODULE, version: release, path: KUBERNETES_OPENAPI };
    return {
      file: kubernetesFile(level),
      what: `Kubernetes ${bare(release)} OpenAPI definitions`,
      sources: [source],
      ...(level === KUBERNETES_API.floor ? {} : { base: floor }),
      build: ([text]) => kubernetesArtifact(text, release, describeSource(source)),
    };
  });
  // Every minor release from the floor to the current level (Kubernetes' major version has stayed 1).
  const [major, floorMinor] = KUBERNETES_API.floor.split('.').map(Number);
  const currentMinor = Number(KUBERNETES_API.current.split('.')[1]);
  const lifecycleLevels = Array.from({ length: currentMinor - floorMinor + 1 }, (_, i) => `${major}.${floorMinor + i}`);
  const lifecycleVersions = lifecycleLevels.map((level) => (KUBERNETES_SCHEMA_RELEASES as Record<string, string>)[level] ?? `v${level}.0`);
  const lifecycleSources: SourceRef[] = lifecycleVersions.map((version) => ({ module: KUBERNETES_MODULE, version, path: KUBERNETES_OPENAPI }));
  const lifecycle: Plan = {
    file: LIFECYCLE,
    what: `apiVersion/kind served by each Kubernetes release ${lifecycleLevels[0]} to ${lifecycleLevels[lifecycleLevels.length - 1]}`,
    sources: lifecycleSources,
    build: (texts) => lifecycleArtifact(texts, lifecycleLevels, `${KUBERNETES_MODULE} ${lifecycleVersions.join(', ')} ${KUBERNETES_OPENAPI}`),
  };
  const istio: Plan[] = ISTIO_SCHEMA_VERSIONS.map((version, i) => {
    const committed = join(CRDS_DIR, `istio-${version}-crd-all.gen.yaml`);
    const source: SourceRef = existsSync(committed)
      ? { file: relative(ROOT, committed), upstream: `istio/istio tag ${version}, crd-all.gen.yaml (see imports/crds/provenance.json)` }
      : { module: ISTIO.api.goModule, version: `v${version}`, path: ISTIO.api.crds };
    return {
      file: `istio-${version}.json`,
      what: `Istio ${version} CustomResourceDefinitions`,
      sources: [source],
      // An Istio release may be stored as its difference from the one before (most CRD versions stay the same).
      ...(i > 0 ? { base: `istio-${ISTIO_SCHEMA_VERSIONS[i - 1]}.json` } : {}),
      build: ([text], built) => crdArtifact(text, `istio-${version}.json`, describeSource(source), built(floor)),
    };
  });
  // One artifact per channel: `gateway-api-<version>.json` (standard) and `gateway-api-<version>-experimental.json`.
  const gatewayVersion = bare(GATEWAY_API.version);
  const gatewayApi: Plan[] = (['standard', 'experimental'] as const).map((channel) => {
    const file = `gateway-api-${gatewayVersion}${channel === 'standard' ? '' : `-${channel}`}.json`;
    const upstream = `${GATEWAY_API.goModule}@${GATEWAY_API.version} config/crd/${channel}`;
    return {
      file,
      what: `Gateway API ${gatewayVersion} ${channel}-channel CustomResourceDefinitions`,
      sources: [{ file: gatewayApiCrds(channel), upstream: `${upstream} (committed with its provenance: imports/crds/provenance.json)` }],
      build: ([text], built) => crdArtifact(text, file, upstream, built(floor)),
    };
  });
  // The monitoring and delivery objects' CRDs: the Prometheus Operator's, KEDA's and Flagger's, committed with their provenance.
  const monitoring: Plan[] = [
    { name: 'prometheus-operator', release: PROMETHEUS_OPERATOR, what: 'Prometheus Operator (monitoring.coreos.com)' },
    { name: 'keda', release: KEDA, what: 'KEDA (keda.sh)' },
    { name: 'flagger', release: FLAGGER, what: 'Flagger (flagger.app)' },
  ].map(({ name, release, what }) => {
    const file = `${name}-${bare(release.version)}.json`;
    const upstream = `${release.goModule}@${release.version}`;
    return {
      file,
      what: `${what} ${bare(release.version)} CustomResourceDefinitions`,
      sources: [{ file: `imports/crds/${name}-${release.version}.yaml`, upstream: `${upstream} (committed with its provenance: imports/crds/provenance.json)` }],
      build: ([text], built) => crdArtifact(text, file, upstream, built(floor)),
    };
  });
  return [...kubernetes, lifecycle, ...istio, ...gatewayApi, ...monitoring];
}

/** `go mod download` results per module@version: the module's directory, or why it is not available. */
const moduleDirs = new Map<string, { dir?: string; error?: string }>();

function moduleDir(module: string, version: string): { dir?: string; error?: string } {
  const key = `${module}@${version}`;
  let result = moduleDirs.get(key);
  if (!result) {
    let output: string;
    try {
      output = execFileSync('go', ['mod', 'download', '-json', key], { cwd: tmpdir(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    } catch (error) {
      const failure = error as { code?: string; stdout?: string; stderr?: string };
      output = failure.stdout ?? '';
      if (failure.code === 'ENOENT') output = JSON.stringify({ Error: 'go is not installed' });
      if (!output.trim()) output = JSON.stringify({ Error: (failure.stderr ?? String(error)).trim() });
    }
    const parsed = JSON.parse(output) as { Dir?: string; Error?: string };
    result = parsed.Dir && !parsed.Error ? { dir: parsed.Dir } : { error: `go mod download ${key}: ${parsed.Error ?? 'no Dir'}` };
    moduleDirs.set(key, result);
  }
  return result;
}

/** Reads one upstream file, or says why it cannot. */
function fetchSource(ref: SourceRef): Fetched | string {
  let path: string;
  if ('module' in ref) {
    const { dir, error } = moduleDir(ref.module, ref.version);
    if (!dir) return error ?? 'unknown error';
    path = join(dir, ref.path);
  } else {
    path = resolve(ROOT, ref.file);
  }
  if (!existsSync(path)) return `${describeSource(ref)}: no such file`;
  const text = readFileSync(path, 'utf8');
  return { text, provenance: { ...ref, sha256: sha256(text) } };
}

interface ProvenanceEntry {
  readonly what: string;
  readonly sha256: string;
  readonly sources: readonly (SourceRef & { sha256: string })[];
}

/** Compiles every kind of every artifact in `dir` with ajv, as the validator does: a broken output never lands. */
function checkOutput(dir: string, files: readonly string[]): void {
  const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strictTypes: false, validateSchema: false });
  addFormats(ajv);
  addKubernetesKeywords(ajv);
  const artifacts = files.filter((file) => file !== LIFECYCLE).map((file) => composed(dir, file));
  for (const artifact of artifacts) ajv.addSchema(artifact.schema);
  for (const artifact of artifacts) {
    for (const definition of new Set(Object.values(artifact.kinds))) {
      if (!ajv.getSchema(`${artifact.schema.$id}#/definitions/${definition}`)) {
        throw new Error(`${artifact.schema.$id}: kind schema ${definition} does not compile`);
      }
    }
  }
}

/**
 * Undoes what an interrupted run left: a staging directory is removed; `imports/schemas` moved aside but not replaced
 * is put back. (Two generators must not run at once.)
 */
function cleanUpInterruptedRun(): void {
  const parent = join(OUT_DIR, '..');
  for (const name of readdirSync(parent).filter((entry) => entry.startsWith('.schemas-new-'))) {
    rmSync(join(parent, name), { recursive: true, force: true });
  }
  const old = readdirSync(parent).find((name) => name.startsWith('.schemas-old-'));
  if (old && !existsSync(OUT_DIR)) renameSync(join(parent, old), OUT_DIR);
  else if (old) rmSync(join(parent, old), { recursive: true, force: true });
}

function main(): void {
  cleanUpInterruptedRun();
  const previous = existsSync(join(OUT_DIR, PROVENANCE))
    ? (JSON.parse(readFileSync(join(OUT_DIR, PROVENANCE), 'utf8')) as { artifacts: Record<string, ProvenanceEntry> }).artifacts
    : {};
  const staging = join(OUT_DIR, '..', `.schemas-new-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const provenance: Record<string, ProvenanceEntry> = {};
  const built = (file: string): Artifact => composed(staging, file);
  const report: string[] = [];
  try {
    for (const plan of plans()) {
      const fetched = plan.sources.map(fetchSource);
      const missing = fetched.filter((result): result is string => typeof result === 'string');
      if (missing.length === 0) {
        const texts = (fetched as Fetched[]).map((result) => result.text);
        const artifact = plan.build(texts, built);
        const text = `${JSON.stringify(stored(artifact, plan.base ? built(plan.base) : undefined, plan.base))}\n`;
        writeFileSync(join(staging, plan.file), text);
        provenance[plan.file] = { what: plan.what, sha256: sha256(text), sources: (fetched as Fetched[]).map((result) => result.provenance) };
        const from = plan.sources.length > 2
          ? `${describeSource(plan.sources[0])} … ${describeSource(plan.sources[plan.sources.length - 1])} (${plan.sources.length} releases)`
          : plan.sources.map(describeSource).join(', ');
        report.push(`${plan.file} (${Math.round(text.length / 1024)} KiB) from ${from}`);
      } else if (existsSync(join(OUT_DIR, plan.file))) {
        copyFileSync(join(OUT_DIR, plan.file), join(staging, plan.file));
        const text = readFileSync(join(OUT_DIR, plan.file), 'utf8');
        provenance[plan.file] = previous[plan.file] ?? { what: `${plan.what} (provenance not recorded)`, sha256: sha256(text), sources: [] };
        report.push(`${plan.file} kept (source not available: ${missing[0]}${missing.length > 1 ? `, and ${missing.length - 1} more` : ''})`);
      } else {
        throw new Error(`${plan.file}: source not available and no committed copy to keep: ${missing.join('; ')}`);
      }
    }
    writeFileSync(join(staging, PROVENANCE), `${JSON.stringify({ generatedBy: GENERATED_BY, artifacts: provenance }, null, 2)}\n`);
    checkOutput(staging, Object.keys(provenance));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const dropped = existsSync(OUT_DIR)
    ? readdirSync(OUT_DIR).filter((file) => file !== PROVENANCE && provenance[file] === undefined)
    : [];
  const old = join(OUT_DIR, '..', `.schemas-old-${process.pid}`);
  if (existsSync(OUT_DIR)) renameSync(OUT_DIR, old);
  renameSync(staging, OUT_DIR);
  rmSync(old, { recursive: true, force: true });
  const where = relative(process.cwd(), OUT_DIR) || '.';
  for (const line of report) console.log(`${where}/${line}`);
  for (const file of dropped) console.log(`${where}/${file} removed (no longer in src/versions.ts)`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`import:schemas: ${error instanceof Error ? error.message : String(error)} (imports/schemas/ left as it was)`);
    process.exitCode = 1;
  }
}
