/**
 * Running kubeconform (github.com/yannh/kubeconform, built by the toolchain: TOOLCHAIN.kubeconform) on the validator's
 * own schemas, and comparing its findings with the validator's. Shared by the benchmark (bench/kubeconform/bench.ts)
 * and the test (test/validation/kubeconform.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolPath, toolUnavailableReason } from '../../src/toolchain';
import { knownVersions, type Targets } from '../../src/validation';
import { type ApiFamily, schemaArtifact } from '../../src/validation/schema/registry';
import type { Finding } from '../../src/validation';

/** The kubeconform binary of the toolchain, or why there is none (`npm run -s toolchain` builds it). */
export function kubeconformBinary(): { path: string } | { missing: string } {
  const path = toolPath('kubeconform');
  return path ? { path } : { missing: toolUnavailableReason('kubeconform') ?? 'kubeconform is not built' };
}

/** The `#/definitions/...` names `schema` refers to. */
function refs(schema: unknown): string[] {
  return [...JSON.stringify(schema).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)].map((match) => match[1]);
}

/**
 * Writes every kind of every carried version as a standalone JSON schema in kubeconform's `-schema-location` layout
 * (`<dir>/<family>-<version>/<group>/<version>/<kind>.json`; the core group is named by its version, as kubeconform's
 * `{{ .Group }}` does) and returns one list of schema locations per kubeconform run: run i checks Kubernetes, Istio
 * and Gateway API version i (the last one where a family has fewer), so the runs together cover every version of
 * `versions` in one run.
 *
 * @param versions the versions to cover; every carried one by default
 */
export function writeKubeconformSchemas(dir: string, versions: Targets = knownVersions()): string[][] {
  const families: ApiFamily[] = ['kubernetes', 'istio', 'gateway-api'];
  const location = (family: ApiFamily, version: string): string =>
    join(dir, `${family}-${version}`, '{{ .Group }}/{{ .ResourceAPIVersion }}/{{ .ResourceKind }}.json');
  for (const family of families) {
    for (const version of versions[family]) {
      const artifact = schemaArtifact(family, version);
      for (const [key, definition] of Object.entries(artifact.kinds)) {
        const parts = key.split('/');
        const [group, apiVersion, kind] = parts.length === 3 ? parts : [parts[0], parts[0], parts[1]];
        const definitions: Record<string, unknown> = {};
        const visit = (name: string): void => {
          if (definitions[name] !== undefined) return;
          definitions[name] = artifact.schema.definitions[name];
          refs(definitions[name]).forEach(visit);
        };
        visit(definition);
        const file = join(dir, `${family}-${version}`, group, apiVersion, `${kind.toLowerCase()}.json`);
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(file, JSON.stringify({ $ref: `#/definitions/${definition}`, definitions }));
      }
    }
  }
  const runs = Math.max(...families.map((family) => versions[family].length));
  return Array.from({ length: runs }, (_, i) => families.map((family) => {
    const list = versions[family];
    return location(family, list[Math.min(i, list.length - 1)]);
  }));
}

/** One error kubeconform reports on one object. */
export interface KubeconformError {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  /** JSON pointer of the field (`/spec/ports/0/port`), `` for the object. */
  readonly path: string;
  readonly message: string;
}

/** Runs kubeconform (strict, missing schemas skipped as the validator skips unknown groups) on `paths` once per location list. */
export function runKubeconform(binary: string, locations: readonly string[][], paths: readonly string[]): KubeconformError[] {
  const errors: KubeconformError[] = [];
  for (const run of locations) {
    const args = ['-strict', '-ignore-missing-schemas', '-output', 'json', ...run.flatMap((location) => ['-schema-location', location]), ...paths];
    const result = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (result.error) throw result.error;
    const report = JSON.parse(result.stdout || '{"resources":[]}') as {
      resources: { filename: string; kind: string; name: string; status: string; msg: string; validationErrors?: { path: string; msg: string }[] }[];
    };
    for (const resource of report.resources) {
      if (resource.status !== 'statusInvalid' && resource.status !== 'statusError') continue;
      const found = resource.validationErrors?.length ? resource.validationErrors : [{ path: '', msg: resource.msg }];
      for (const error of found) errors.push({ file: resource.filename, kind: resource.kind, name: resource.name, path: error.path, message: error.msg });
    }
  }
  return errors;
}

/** `/spec/ports/0/port` as the validator writes paths: `spec.ports[0].port`. */
export function pointerToDotted(pointer: string): string {
  return pointer.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

/**
 * The kubeconform errors the validator's error findings do not cover: one is covered by an error on the same object
 * (file, kind, name) at that field or below it (kubeconform names the object holding an unknown field, the validator
 * the field itself), or anywhere on the object for an error kubeconform gives without a field.
 */
export function uncovered(theirs: readonly KubeconformError[], ours: readonly Finding[]): KubeconformError[] {
  const errors = ours.filter((finding) => finding.severity === 'error');
  return theirs.filter((error) => {
    const path = pointerToDotted(error.path);
    // A resource kubeconform could not even read (`error unmarshalling resource`, e.g. a `.nan` value) names no kind
    // or name: covered by any error of ours in that file (the validator reads it, and reports it as object-yaml).
    if (!error.kind && !error.name && path === '') return !errors.some((finding) => finding.file === error.file);
    // The validator names a missing kind or name `(no kind)`, `(no name)`.
    const kind = error.kind || '(no kind)';
    const name = error.name || '(no name)';
    return !errors.some((finding) => finding.file === error.file && finding.kind === kind && finding.name === name
      && (path === '' || finding.path === path || finding.path.startsWith(`${path}.`) || finding.path.startsWith(`${path}[`)));
  });
}
