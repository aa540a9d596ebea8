/**
 * Tests that need something npm does not install (a Docker engine, a system PostgreSQL's psql): they run when it is
 * there; without it they are skipped with one line saying why, except under `CI=true`, where CI has to provide it
 * (.ci/run does) and its absence fails the run instead of passing it untested.
 */

/** Whether this run is CI's, where nothing may be skipped for lack of a tool: `CI=true` (set by .ci/run and GitHub Actions). */
const IN_CI = process.env.CI === 'true';

/**
 * `describe` for tests that need something outside npm.
 * @param missing why it is unavailable, in words a user can act on, or undefined when it is available
 * @returns `describe` when available; else, under CI=true, a block with one failing test saying why; else a skip
 *   announced in one line on stderr
 */
export function describeRequiring(missing: string | undefined): (name: string, tests: () => void) => void {
  if (missing === undefined) return describe;
  if (IN_CI) {
    return (name) => describe(name, () => it('has what it needs (CI=true: nothing is skipped)', () => {
      throw new Error(`${name}: ${missing}`);
    }));
  }
  return (name, tests) => {
    process.stderr.write(`${name}: skipped, ${missing}\n`);
    describe.skip(name, tests);
  };
}

