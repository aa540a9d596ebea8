/** Runs one of the project's TypeScript entry points as a real process, the way its npm script does (without npm). */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root: scripts run from here, as npm runs them. */
export const REPOSITORY_ROOT = join(__dirname, '../..');

/** `node --import tsx <script> <args>` from the repository root, with extra environment variables. */
export function runScript(script: string, args: readonly string[] = [], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

/**
 * What `npm run <name> -- <args>` runs (the script's command from package.json, a plain `node ...` command), without
 * npm, with extra environment variables: in the repository root, or in `root` (a copy of the repository).
 */
export function runPackageScript(
  name: string, args: readonly string[] = [], env: Record<string, string> = {}, root: string = REPOSITORY_ROOT,
): SpawnSyncReturns<string> {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...scriptArgs] = scripts[name]?.split(' ') ?? [];
  if (command !== 'node') throw new Error(`npm script ${name}: expected a plain "node ..." command, found "${scripts[name]}"`);
  return spawnSync(process.execPath, [...scriptArgs, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Gives `dir` a node_modules of links to the repository's packages, without its caches (`node_modules/.cache`): a
 * copy of the repository resolves the same packages, but what it builds there (the launcher's bundles, the images'
 * bundle digests) never replaces what processes in the repository use at the same time.
 */
export function linkPackages(dir: string): void {
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(REPOSITORY_ROOT, 'node_modules')).filter((name) => !name.startsWith('.'))) {
    symlinkSync(join(REPOSITORY_ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
}
