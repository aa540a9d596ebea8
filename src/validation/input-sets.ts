import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isManifestFile, manifestFiles } from './load';

/** Files validated together as one set of objects (one environment), and what to call the set in the report. */
export interface InputSet {
  /** The directory (or the PATHs) the set was read from. */
  readonly label: string;
  readonly files: readonly string[];
}

/**
 * Splits the CLI's PATHs into sets validated separately. A directory that holds no manifest itself but manifests in
 * two or more subdirectories is a layout of environments (`dist/` of `npm run synth`: `dist/dev`, `dist/prod`, …), as
 * the cdk8s plugin reads it: each subdirectory is a set of its own, so the same objects in two environments are not
 * duplicates. Every other PATH joins one set. `oneSet` puts everything in one set.
 */
export function inputSets(paths: readonly string[], oneSet = false): InputSet[] {
  const together: string[] = [];
  const togetherPaths: string[] = [];
  const sets: InputSet[] = [];
  for (const path of paths) {
    const environments = oneSet ? undefined : environmentDirectories(path);
    if (environments) sets.push(...environments);
    else {
      together.push(...manifestFiles(path));
      togetherPaths.push(path);
    }
  }
  return togetherPaths.length > 0 ? [{ label: togetherPaths.join(' '), files: together }, ...sets] : sets;
}

/** The subdirectories of `path` as sets, when `path` is a directory of environments (see inputSets); else undefined. */
function environmentDirectories(path: string): InputSet[] | undefined {
  let entries;
  try {
    if (!statSync(path).isDirectory()) return undefined;
    entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return undefined; // manifestFiles reports the missing path
  }
  if (entries.some((entry) => !entry.isDirectory() && isManifestFile(entry.name))) return undefined;
  const sets = entries.filter((entry) => entry.isDirectory())
    .map((entry) => ({ label: join(path, entry.name), files: manifestFiles(join(path, entry.name)) }))
    .filter((set) => set.files.length > 0);
  return sets.length >= 2 ? sets : undefined;
}
