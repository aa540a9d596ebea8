/**
 * The run's own temporary directory, created by the global setup of `npm test` (test/support/global-setup.ts) and
 * named to the workers through the environment (they inherit it): where what test files share is kept, e.g. the
 * PostgreSQL server one of them starts for the run and the services' bundles. The global teardown removes it.
 */

/** The variable naming the run's directory. */
export const RUN_DIRECTORY_ENV = 'MESH_TEST_RUN_DIRECTORY';

/** The run's directory, or undefined when the file runs without the global setup (another jest configuration). */
export function runDirectory(): string | undefined {
  return process.env[RUN_DIRECTORY_ENV] || undefined;
}
