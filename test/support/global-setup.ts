/**
 * Global setup of `npm test`: a temporary directory of the run's own, named to the workers through the environment
 * (they inherit it), where what the test files share is recorded, e.g. the one PostgreSQL server the first file that
 * needs one starts (test/support/postgres.ts, `sharedPostgres`). The global teardown stops it and removes the directory.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_DIRECTORY_ENV } from './postgres';

export default function globalSetup(): void {
  process.env[RUN_DIRECTORY_ENV] = mkdtempSync(join(tmpdir(), 'mesh-test-run-'));
}
