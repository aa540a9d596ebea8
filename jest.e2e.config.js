/**
 * `npm run test:e2e`: the real-cluster tests. One cluster (global setup) shared by every file, so files run one at a
 * time. The toolchain build in the global setup is cached; a cold one takes long (see docs/e2e.md).
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testPathIgnorePatterns: [],
  globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 600000,
};
