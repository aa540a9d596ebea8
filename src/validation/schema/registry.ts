import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A generated schema artifact (imports/generate-schemas.ts): `kinds` maps `group/version/kind` to a definition. */
interface Artifact {
  readonly kinds: Record<string, string>;
  readonly schema: { $id: string; definitions: Record<string, unknown> };
}

/** The schema set one object is checked against, with a label for messages. */
export interface SchemaSet {
  /** e.g. `Kubernetes 1.27.0`, `Istio 1.22.8`. */
  readonly label: string;
  readonly validate: ValidateFunction;
}

/** Where imports/generate-schemas.ts writes the artifacts. */
const SCHEMAS_DIR = join(__dirname, '../../../imports/schemas');
const KUBERNETES_LABEL = 'Kubernetes 1.27';

function readArtifact(file: string): Artifact {
  return JSON.parse(readFileSync(join(SCHEMAS_DIR, file), 'utf8')) as Artifact;
}

const KUBERNETES = readArtifact('kubernetes-1.27.0.json');

/** Istio versions whose schemas are generated into imports/schemas/ (`istio-<version>.json`). */
export const AVAILABLE_ISTIO_VERSIONS: readonly string[] = existsSync(SCHEMAS_DIR)
  ? readdirSync(SCHEMAS_DIR).flatMap((file) => /^istio-(.+)\.json$/.exec(file)?.slice(1) ?? [])
  : [];

/** The pattern the generated Quantity definition uses, so errors against it can say "not a quantity". */
export const QUANTITY_PATTERN = (
  KUBERNETES.schema.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] as { pattern: string }
).pattern;

/** The pattern of a port given as a string (a port name), so errors against it can say "not a port name". */
export const PORT_NAME_PATTERN = (
  KUBERNETES.schema.definitions['mesh-platform.PortNameOrNumber'] as { pattern: string }
).pattern;

/**
 * Compiles the generated schemas with ajv, once per process and lazily per kind (compiling a kind takes milliseconds,
 * validating an object microseconds).
 */
export class SchemaRegistry {
  private static shared?: SchemaRegistry;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly istioArtifacts = new Map<string, Artifact>();

  /** The process-wide registry (schemas are immutable, so one compilation serves every validation). */
  static get(): SchemaRegistry {
    SchemaRegistry.shared ??= new SchemaRegistry();
    return SchemaRegistry.shared;
  }

  private constructor() {
    // Strict about the schemas (unknown keywords throw) but not about type unions, which int-or-string needs.
    this.ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strictTypes: false, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(KUBERNETES.schema);
  }

  /**
   * The schema sets an object of `apiVersion`/`kind` must satisfy: Kubernetes' for built-in kinds, one per requested
   * Istio version for Istio kinds; empty when no schema knows the kind.
   */
  schemasFor(apiVersion: string, kind: string, istioVersions: readonly string[]): SchemaSet[] {
    const key = `${apiVersion}/${kind}`;
    const definition = KUBERNETES.kinds[key];
    if (definition) return [{ label: KUBERNETES_LABEL, validate: this.compile(KUBERNETES, definition) }];
    const sets: SchemaSet[] = [];
    for (const version of istioVersions) {
      const artifact = this.istio(version);
      const name = artifact.kinds[key];
      if (name) sets.push({ label: `Istio ${version}`, validate: this.compile(artifact, name) });
    }
    return sets;
  }

  /** Whether `group` is Kubernetes' or Istio's, whose kinds all have schemas (so an unknown kind there is a mistake). */
  knowsGroup(group: string): boolean {
    return isBuiltInGroup(group) || group.endsWith('istio.io');
  }

  /** The Istio artifact of `version`, added to ajv on first use. */
  private istio(version: string): Artifact {
    let artifact = this.istioArtifacts.get(version);
    if (!artifact) {
      if (!AVAILABLE_ISTIO_VERSIONS.includes(version)) {
        throw new Error(`validation: no schemas for Istio ${version} (available: ${AVAILABLE_ISTIO_VERSIONS.join(', ')})`);
      }
      artifact = readArtifact(`istio-${version}.json`);
      this.ajv.addSchema(artifact.schema);
      this.istioArtifacts.set(version, artifact);
    }
    return artifact;
  }

  private compile(artifact: Artifact, definition: string): ValidateFunction {
    const ref = `${artifact.schema.$id}#/definitions/${definition}`;
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.getSchema(ref);
      if (!validate) throw new Error(`validation: schema ${ref} missing from imports/schemas (regenerate them)`);
      this.compiled.set(ref, validate);
    }
    return validate;
  }
}

/** Kubernetes' own API groups: the core group, the unqualified ones (`apps`, `batch`, …) and `*.k8s.io`. */
export function isBuiltInGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}
