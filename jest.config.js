/** Tests are transpiled by swc (no type-check: `npm run lint` type-checks the whole tree once). */
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
  // Jest's default (cores - 1) is a single worker on this project's two-core machines, where many suites spend most
  // of their time waiting on processes (the services, Prometheus, Docker): one worker per core.
  maxWorkers: 2,
};
