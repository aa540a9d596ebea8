/** Global teardown of `npm test`: stops what the run's test files shared and removes the run's directory. */
import { rmSync } from 'node:fs';
import { RUN_DIRECTORY_ENV, stopSharedPostgres } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const directory = process.env[RUN_DIRECTORY_ENV];
  if (!directory) return;
  await stopSharedPostgres(directory);
  rmSync(directory, { recursive: true, force: true });
}
