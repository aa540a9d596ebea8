/**
 * STAND-IN until this branch meets main: main's test/support/tools.ts (the same `describeWithTools`, on main's
 * `toolPath`/`toolUnavailableReason` in src/toolchain) replaces this file when merging; the tests calling it need no
 * change. It looks the binaries up where main's toolchain caches them, at the versions main pins (src/versions.ts there).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../src/toolchain/index';
import { describeRequiring } from './requirements';

/** Main's toolchain entries for the binaries these tests use: the tool's cache directory name. */
const CACHED: Readonly<Record<string, string>> = {
  prometheus: 'prometheus-v0.316.0', promtool: 'prometheus-v0.316.0', alertmanager: 'alertmanager-v0.35.0', amtool: 'alertmanager-v0.35.0',
};

const pathOf = (binary: string) => {
  const dir = join(cacheRoot(), 'toolchain', 'tools', CACHED[binary] ?? binary);
  return existsSync(join(dir, 'complete.json')) && existsSync(join(dir, 'bin', binary)) ? join(dir, 'bin', binary) : undefined;
};

/**
 * `describe(title, body)` when every binary in `binaries` is built, else what {@link describeRequiring} does with the
 * reasons they are missing. `body` receives the binaries' paths.
 */
export function describeWithTools(binaries: readonly string[], title: string, body: (paths: Readonly<Record<string, string>>) => void): void {
  const reasons = binaries.filter((binary) => !pathOf(binary)).map((binary) => `${binary} is not built: run \`npm run -s toolchain\``);
  const paths = Object.fromEntries(binaries.map((binary) => [binary, pathOf(binary) ?? binary]));
  describeRequiring(reasons.length > 0 ? reasons.join('; ') : undefined)(title, () => body(paths));
}
