/**
 * `npm run test:e2e`: the real-cluster tests. One cluster and one set of pushed images (global setup) shared by every
 * file; files run side by side, each in namespaces (and under platform names) of its own, since most of their time is
 * spent waiting for controllers (Flagger's analysis, Pulumi's awaits) and the Pulumi engine. Five workers: the long
 * files (Flagger, Pulumi and Flagger, Pulumi, its failure paths, the Istio charts) start at once (jest starts the
 * slowest of the last run first, and a file it has no time for before those) and the short ones follow. The
 * toolchain build in the global setup is cached; a cold one takes long (see docs/e2e.md).
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testPathIgnorePatterns: [],
  globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
  maxWorkers: 5,
  testTimeout: 600000,
};
