/**
 * Generates the JSON schemas the validator (src/validation) needs at run time into imports/schemas/, from the upstream
 * schemas kept in ../shared/schemas (see imports/README.md). Run from the repository root: `npm run import:schemas`.
 *
 * The output is ready for ajv: descriptions and `x-kubernetes-*` annotations are dropped, unknown fields are made an error
 * (`additionalProperties: false` wherever a schema lists its properties, as `kubeconform -strict` does), int-or-string and
 * Quantity become union types, and each Istio CRD version becomes a complete object schema whose `metadata` is
 * Kubernetes' ObjectMeta. Identical schemas of one CRD's versions are stored once.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Directory holding the upstream schemas; override with SCHEMAS_DIR. */
const SCHEMAS_DIR = process.env.SCHEMAS_DIR ?? '../shared/schemas';
const OUT_DIR = join(__dirname, 'schemas');
const KUBERNETES_VERSION = '1.27.0';
const ISTIO_VERSIONS = ['1.22.8', '1.30.3'];

/** A Kubernetes quantity (`100m`, `1.5Gi`, `2e3`): apimachinery's resource.Quantity grammar. */
const QUANTITY_PATTERN = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$';
const META = `kubernetes-${KUBERNETES_VERSION}.json#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

/**
 * A port given as a string is a port name, an IANA_SVC_NAME (apimachinery's IsValidPortName): at most 15 lowercase
 * letters, digits and single hyphens, with at least one letter. So the API server rejects `targetPort: "8080"`.
 */
const PORT_NAME_PATTERN = '^(?=.{1,15}$)(?=[a-z0-9-]*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]*[a-z0-9])?$';
const PORT_NAME_OR_NUMBER = 'mesh-platform.PortNameOrNumber';

/** int-or-string fields that hold a port: a number, or the name of a container port. */
const PORT_FIELDS: Record<string, string[]> = {
  'io.k8s.api.core.v1.ServicePort': ['targetPort'],
  'io.k8s.api.core.v1.HTTPGetAction': ['port'],
  'io.k8s.api.core.v1.TCPSocketAction': ['port'],
  'io.k8s.api.networking.v1.NetworkPolicyPort': ['port'],
};

/**
 * Enumerations the Kubernetes 1.27 OpenAPI (v2) definitions leave as plain strings although the API server rejects other
 * values (values from the Kubernetes API reference, core/v1 and apps/v1 types).
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

/** Returns a copy of `node` made strict and stripped of what validation does not use (see the file comment). */
export function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (node === null || typeof node !== 'object') return node;
  const source = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'description' || key.startsWith('x-kubernetes-')) continue;
    out[key] = key === 'properties' ? mapValues(value as Schema, strictSchema) : strictSchema(value);
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

/** Kubernetes: every definition, strict, with the union types and enums fixed; `kinds` maps `apiVersion/kind` to a definition. */
function kubernetesArtifact(): object {
  const file = join(SCHEMAS_DIR, `kubernetes/v${KUBERNETES_VERSION}/_definitions.json`);
  const upstream = JSON.parse(readFileSync(file, 'utf8')) as { definitions: Record<string, Schema> };
  const definitions: Record<string, unknown> = {};
  const kinds: Record<string, string> = {};
  for (const [name, definition] of Object.entries(upstream.definitions)) {
    const gvks = (definition['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[];
    for (const { group, version, kind } of gvks) {
      // Lists are flattened by the loader; meta kinds (DeleteOptions, WatchEvent, Status) are not manifests.
      if (kind.endsWith('List') || name.startsWith('io.k8s.apimachinery.pkg.apis.meta.')) continue;
      kinds[`${group ? `${group}/` : ''}${version}/${kind}`] = name;
    }
    const strict = strictSchema(definition) as Schema;
    for (const [property, values] of Object.entries(KUBERNETES_ENUMS[name] ?? {})) {
      (strict.properties as Record<string, Schema>)[property].enum = values;
    }
    for (const property of PORT_FIELDS[name] ?? []) {
      (strict.properties as Record<string, Schema>)[property] = { $ref: `#/definitions/${PORT_NAME_OR_NUMBER}` };
    }
    definitions[name] = strict;
  }
  definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { type: ['integer', 'string'] };
  definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { type: ['string', 'number'], pattern: QUANTITY_PATTERN };
  definitions[PORT_NAME_OR_NUMBER] = { type: ['integer', 'string'], pattern: PORT_NAME_PATTERN };
  return {
    generatedBy: 'imports/generate-schemas.ts',
    source: `Kubernetes v${KUBERNETES_VERSION} OpenAPI definitions`,
    kinds,
    schema: { $id: `kubernetes-${KUBERNETES_VERSION}.json`, definitions },
  };
}

interface CustomResourceDefinition {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[];
  };
}

/** Istio: one object schema per distinct CRD version schema; `kinds` maps `group/version/kind` to it. */
function istioArtifact(istioVersion: string): object {
  const file = join(SCHEMAS_DIR, `istio/${istioVersion}/crd-all.gen.yaml`);
  const crds = parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => document.toJS() as CustomResourceDefinition | null)
    .filter((crd): crd is CustomResourceDefinition => crd !== null);
  const definitions: Record<string, unknown> = {};
  const kinds: Record<string, string> = {};
  for (const { spec } of crds) {
    const byHash = new Map<string, string>();
    for (const version of spec.versions.filter((v) => v.served)) {
      const root = strictSchema(version.schema.openAPIV3Schema) as Schema;
      const hash = createHash('sha256').update(JSON.stringify(root)).digest('hex');
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
            metadata: { $ref: META },
            ...(root.properties as Schema),
          },
          additionalProperties: false,
        };
      }
      kinds[`${spec.group}/${version.name}/${spec.names.kind}`] = name;
    }
  }
  return {
    generatedBy: 'imports/generate-schemas.ts',
    source: `Istio ${istioVersion} CustomResourceDefinitions`,
    kinds,
    schema: { $id: `istio-${istioVersion}.json`, definitions },
  };
}

function write(name: string, artifact: object): void {
  const path = join(OUT_DIR, name);
  const text = `${JSON.stringify(artifact)}\n`;
  writeFileSync(path, text);
  console.log(`${path} (${Math.round(text.length / 1024)} KiB)`);
}

if (require.main === module) {
  mkdirSync(OUT_DIR, { recursive: true });
  write(`kubernetes-${KUBERNETES_VERSION}.json`, kubernetesArtifact());
  for (const version of ISTIO_VERSIONS) write(`istio-${version}.json`, istioArtifact(version));
}
