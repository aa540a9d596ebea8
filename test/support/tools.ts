/**
 * Tests that need a binary of the Go-built toolchain (`npm run -s toolchain`): skipped with one line saying why where
 * it is not built, a failure under `CI=true` (CI builds the toolchain first, so a tool missing there is a broken build
 * or a module version the proxy withdrew). See ./requirements.ts.
 */
import { toolPath, toolUnavailableReason } from '../../src/toolchain/index';
import { describeRequiring } from './requirements';

/**
 * `describe(title, body)` when every binary in `binaries` is built, else what {@link describeRequiring} does with the
 * reasons they are missing. `body` receives the binaries' paths.
 */
export function describeWithTools(binaries: readonly string[], title: string, body: (paths: Readonly<Record<string, string>>) => void): void {
  const reasons = binaries.map(toolUnavailableReason).filter((reason): reason is string => reason !== undefined);
  const paths = Object.fromEntries(binaries.map((binary) => [binary, toolPath(binary) ?? binary]));
  describeRequiring(reasons.length > 0 ? reasons.join('; ') : undefined)(title, () => body(paths));
}
