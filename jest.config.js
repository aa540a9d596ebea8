/** Tests are transpiled by swc (no type-check: `npm run lint` type-checks the whole tree once). */
const { availableParallelism } = require('node:os');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The real-cluster tests need the toolchain and a cluster: `npm run test:e2e` (jest.e2e.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  transform: { '^.+\\.[tj]sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // cookie@2 (used by Fastify's inject), @marcbachmann/cel-js (the validator's CEL) and github-slugger (the docs' link test) ship only ESM, which jest cannot
  // require on Node 20: let swc compile them.
  transformIgnorePatterns: ['/node_modules/(?!(cookie|@marcbachmann/cel-js|github-slugger)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
  // A run's directory for what its files share (one PostgreSQL server): test/support/global-setup.ts.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Three workers per core, at most eight: the six longest files spend most of their time waiting (on Prometheus'
  // alert `for`, Docker builds and healthchecks, npm and tsc in a scratch project), so with fewer workers the short
  // files queue behind them while the cores idle (two per core: 241 s here, the cores 68% busy; three: 207 s). Eight
  // covers the waiting files and one per core besides on any machine; jest starts the files that took longest last
  // time first.
  maxWorkers: Math.min(8, Math.max(2, availableParallelism() * 3)),
};
