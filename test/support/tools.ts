/**
 * Tests that need a binary of the Go-built toolchain (`npm run -s toolchain`): where it is not built they are skipped
 * with one line saying why, except under `CI=true`, where a missing tool is a failure naming it (CI builds the
 * toolchain first, so a tool missing there is a broken build or a module version the proxy withdrew).
 */
import { toolPath, toolUnavailableReason } from '../../src/toolchain/index';

/**
 * `describe(title, body)` when every binary in `binaries` is built; otherwise a skip with a warning, or, under CI, one
 * failing test that names each missing binary and why it is missing. `body` receives the binaries' paths.
 */
export function describeWithTools(
  binaries: readonly string[],
  title: string,
  body: (paths: Readonly<Record<string, string>>) => void,
): void {
  const reasons = binaries.map(toolUnavailableReason).filter((reason): reason is string => reason !== undefined);
  if (reasons.length === 0) {
    const paths = Object.fromEntries(binaries.map((binary) => [binary, toolPath(binary) as string]));
    describe(title, () => body(paths));
  } else if (process.env.CI === 'true') {
    describe(title, () => {
      test(`needs ${binaries.join(', ')}`, () => {
        throw new Error(reasons.join('\n'));
      });
    });
  } else {
    console.warn(`${expect.getState().testPath ?? title} skipped: ${reasons.join('; ')}`);
    describe.skip(title, () => body({}));
  }
}
