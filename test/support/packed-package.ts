/**
 * The package as its users get it: `npm pack` of this repository (which builds lib/ through `prepack`), installed into
 * a fresh cdk8s project next to cdk8s, constructs and cdk8s-plus-27 at the versions this repository locks. npm takes
 * every package from its cache when `npm ci` ran here (`--prefer-offline`), and asks the registry only for what is
 * missing. Used by test/package/ and bench/library-startup.ts; docs/library.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REPOSITORY_ROOT = join(__dirname, '../..');

/** What a cdk8s project installs itself; the package declares them as peer dependencies. */
const PEER_DEPENDENCIES = ['cdk8s', 'constructs', 'cdk8s-plus-27'] as const;

/** One entry of `npm pack --json`. */
export interface PackResult {
  /** The tarball's path. */
  readonly tarball: string;
  /** The packed files, relative to the package root. */
  readonly files: readonly string[];
}

/** Runs `npm pack` in the repository (building lib/ first, through `prepack`) and writes the tarball into `destination`. */
export function packPackage(destination: string): PackResult {
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: REPOSITORY_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [result] = JSON.parse(output) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(destination, result.filename), files: result.files.map((file) => file.path) };
}

/** The version of a package installed in this repository's node_modules (the lockfile's). */
export function lockedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Makes `directory` a new npm project that depends on the packed package and on cdk8s, as a user's project would. */
export function installPackedPackage(directory: string, tarball: string): void {
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify({ name: 'my-cdk8s-app', version: '1.0.0', private: true }, null, 2)}\n`);
  execFileSync('npm', [
    'install', '--prefer-offline', '--no-audit', '--no-fund', tarball,
    ...PEER_DEPENDENCIES.map((name) => `${name}@${lockedVersion(name)}`),
  ], { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
}
