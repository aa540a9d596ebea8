/** Global teardown of `npm test`: stops what the run's test files shared and removes the run's directory. */
import { rmSync } from 'node:fs';
import { stopSharedPostgres } from './postgres';
import { runDirectory } from './run-directory';

export default async function globalTeardown(): Promise<void> {
  const directory = runDirectory();
  if (!directory) return;
  await stopSharedPostgres(directory);
  rmSync(directory, { recursive: true, force: true });
}
