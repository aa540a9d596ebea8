/**
 * `npm run -s toolchain`: builds the Go-built tools of the real-cluster tests that are not cached yet (src/versions.ts
 * pins them), reports each step on stderr, and prints the directory holding the binaries as its last line on stdout:
 *
 *   export PATH="$(npm run -s toolchain | tail -n1):$PATH"
 */
import { parseCommandLine, UsageError } from '../cli/usage';
import { ensureToolchain } from './index';
import { RECIPES } from './recipes';

const HELP = `Usage: npm run -s toolchain

Builds ${RECIPES.flatMap((recipe) => recipe.binaries).join(', ')}
from their Go modules (versions: src/versions.ts) into ~/.cache/mesh-platform/toolchain (override with
MESH_PLATFORM_CACHE), reusing what is cached, and prints the directory holding the binaries as the last line.
A tool that cannot be built does not stop the others: each is named in one line on stderr, and the exit status is 1.
Needs Go 1.26 and the Go module proxy.`;

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), { help: { type: 'boolean', short: 'h' } }, '; see npm run -s toolchain -- --help');
  if (positionals.length > 0) throw new UsageError(`unknown argument ${positionals[0]}; see npm run -s toolchain -- --help`);
  if (values.help) {
    console.log(HELP);
    return;
  }
  const started = Date.now();
  const { bin, unavailable } = await ensureToolchain({ progress: (message) => console.error(`toolchain: ${message}`) });
  const seconds = Math.round((Date.now() - started) / 1000);
  const failures = Object.values(unavailable);
  for (const failure of failures) console.error(`toolchain: unavailable: ${failure}`);
  console.error(`toolchain: ${failures.length > 0 ? `${failures.length} of ${RECIPES.length} tools unavailable` : 'ready'} in ${seconds} s`);
  console.log(bin);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(`toolchain: ${error.message}`);
  process.exitCode = 1;
});
