/**
 * Writes imports/crds/flagger-<version>.yaml from Flagger's Go module (`artifacts/flagger/crd.yaml` at the version
 * src/versions.ts pins): `npm run import:delivery` runs it before `npm run import:bindings`.
 *
 * One repair, and only that: the source continues four single-quoted descriptions (apiVersion and kind of each CRD) at
 * the indentation of their key, which Go's YAML parser accepts and the `yaml` package cdk8s import uses does not (it
 * reads a multi-line key). Those continuation lines are indented two more spaces, which leaves every value as Go
 * reads it. A test rebuilds the file from the module byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAGGER } from '../src/versions';

/** Path of the CRDs inside the module. */
export const FLAGGER_CRD_PATH = 'artifacts/flagger/crd.yaml';

/** Indents the continuation lines of single-quoted scalars that continue at their key's indentation. */
export function repairQuotedContinuations(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)[\w$-]+: '((?:[^']|'')*)$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j].length - lines[j].trimStart().length === indent) lines[j] = `  ${lines[j]}`;
      if (/(^|[^'])'$/.test(lines[j]) && !/''$/.test(lines[j])) { i = j; break; }
    }
  }
  return lines.join('\n');
}

/** The committed bundle's text, from the module's CRDs. */
export function flaggerCrdBundle(moduleDir: string): string {
  const source = readFileSync(join(moduleDir, FLAGGER_CRD_PATH), 'utf8');
  return `---\n# Source: ${FLAGGER.goModule}@${FLAGGER.version} ${FLAGGER_CRD_PATH} (quoted continuations indented, see imports/flagger-crds.ts)\n${repairQuotedContinuations(source)}`;
}

/** Where `go mod download` put the module. */
export function flaggerModuleDir(): string {
  const download = execFileSync('go', ['mod', 'download', '-json', `${FLAGGER.goModule}@${FLAGGER.version}`], { cwd: tmpdir(), encoding: 'utf8' });
  return (JSON.parse(download) as { Dir: string }).Dir;
}

if (process.argv[1]?.endsWith('flagger-crds.ts')) {
  const file = join('imports', 'crds', `flagger-${FLAGGER.version}.yaml`);
  const text = flaggerCrdBundle(flaggerModuleDir());
  // Written beside the file, then renamed over it: a failed run leaves the committed bundle whole.
  writeFileSync(`${file}.partial`, text);
  renameSync(`${file}.partial`, file);
  console.log(`${file} written`);
}
