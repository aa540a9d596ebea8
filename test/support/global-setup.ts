/** Global setup of `npm test`: the run's directory (test/support/run-directory.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_DIRECTORY_ENV } from './run-directory';

export default function globalSetup(): void {
  process.env[RUN_DIRECTORY_ENV] = mkdtempSync(join(tmpdir(), 'mesh-test-run-'));
}
