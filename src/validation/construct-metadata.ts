import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { IConstruct } from 'constructs';
import { constructSources } from './construct-sources';

/** File name cdk8s uses for construct metadata (written by `App.synth()` when CDK8S_RECORD_CONSTRUCT_METADATA=true). */
export const CONSTRUCT_METADATA_FILE = 'construct-metadata.json';

/**
 * Where writeConstructMetadata puts it, under an output directory: a hidden subdirectory, because
 * `kubectl apply -f dist/<env>/` reads every .json file of the directory itself (not of its subdirectories) as a
 * manifest and fails on this one.
 */
export const CONSTRUCT_METADATA_DIRECTORY = '.cdk8s';

/** The construct metadata of an output directory: ours under `.cdk8s/`, else cdk8s' own beside the manifests; undefined if neither. */
export function constructMetadataFile(directory: string): string | undefined {
  return [join(directory, CONSTRUCT_METADATA_DIRECTORY, CONSTRUCT_METADATA_FILE), join(directory, CONSTRUCT_METADATA_FILE)].find((file) => existsSync(file));
}

/** Key of an object in construct metadata written by writeConstructMetadata: `Kind/namespace/name`. */
export function metadataKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/**
 * Writes `construct-metadata.json` for the objects of `scope` into `outdir/.cdk8s/`, in cdk8s' format (version 1.0.0) with two
 * keys per object: `Kind/namespace/name` (exact) and `name` (what cdk8s itself writes, ambiguous when a Service and a
 * Deployment share a name). Call it after `app.synth()` to give the validation plugin exact construct paths.
 */
export function writeConstructMetadata(scope: IConstruct, outdir: string): void {
  const { objects, sources } = constructSources(scope);
  const resources: Record<string, { path: string }> = {};
  objects.forEach((object, i) => {
    const path = sources[i].constructPath ?? '';
    const name = object.metadata?.name ?? '';
    resources[name] ??= { path };
    resources[metadataKey(object.kind ?? '', object.metadata?.namespace, name)] = { path };
  });
  mkdirSync(join(outdir, CONSTRUCT_METADATA_DIRECTORY), { recursive: true });
  writeFileSync(join(outdir, CONSTRUCT_METADATA_DIRECTORY, CONSTRUCT_METADATA_FILE), JSON.stringify({ version: '1.0.0', resources }));
}

/** Reads construct paths from a `construct-metadata.json` (writeConstructMetadata's, else cdk8s'); empty if absent. */
export function readConstructMetadata(directory: string): Map<string, string> {
  const file = constructMetadataFile(directory);
  if (!file) return new Map();
  const contents = JSON.parse(readFileSync(file, 'utf8')) as { resources?: Record<string, { path?: string }> };
  return new Map(Object.entries(contents.resources ?? {}).flatMap(([key, value]) => (value.path ? [[key, value.path]] : [])));
}

/**
 * Splits synthesized manifests into units validated separately (one per environment): the nearest directory between a
 * manifest and `root` that holds a construct-metadata.json, else the manifest's first-level directory under `root`
 * (`dist/dev/…` → `dist/dev`), else `root` itself.
 */
export function groupByUnit(manifests: readonly string[], root: string): Map<string, string[]> {
  const units = new Map<string, string[]>();
  for (const manifest of manifests) {
    let unit: string | undefined;
    for (let directory = dirname(manifest); !relative(root, directory).startsWith('..'); directory = dirname(directory)) {
      if (constructMetadataFile(directory)) {
        unit = directory;
        break;
      }
      if (directory === root || dirname(directory) === directory) break;
    }
    if (!unit) {
      const [first, ...rest] = relative(root, manifest).split(sep);
      unit = rest.length > 0 ? join(root, first) : root;
    }
    units.set(unit, [...(units.get(unit) ?? []), manifest]);
  }
  return units;
}

/** The deepest directory containing every path. */
export function commonDirectory(paths: readonly string[]): string {
  if (paths.length === 0) return '.';
  let common = dirname(paths[0]);
  while (!paths.every((path) => !relative(common, path).startsWith('..'))) common = dirname(common);
  return common;
}
