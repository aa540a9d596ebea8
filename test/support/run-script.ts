/** Runs one of the project's TypeScript entry points as a real process, the way its npm script does (without npm). */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
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
