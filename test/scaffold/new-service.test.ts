/**
 * `npm run new:service` on a temporary copy of the repository (its packages linked): the new service synthesizes,
 * validates in every environment, gets its snapshot entries from `npm run test:update`, and the description-derived
 * tests, the snapshots and its own tests pass, with no file edited by hand. Refusals write nothing.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT, linkPackages, runPackageScript } from '../support/run-script';

/** What the copy needs to synthesize, validate and test (not the CRD sources, docs, benchmarks or e2e). */
const COPIED = ['src', 'charts', 'services', 'test', 'imports', 'package.json', 'tsconfig.json', 'jest.config.js', 'cdk8s.yaml'];
const SKIPPED = [join('imports', 'crds'), join('test', 'e2e'), '__snapshots__'];

let copy: string;
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'new-service-'));
  for (const entry of COPIED) {
    cpSync(join(REPOSITORY_ROOT, entry), join(copy, entry), {
      recursive: true,
      // Snapshot files are copied (they are what test:update compares against); e2e and CRD sources are not needed.
      filter: (source) => source.includes('__snapshots__') || !SKIPPED.some((skipped) => source.includes(join(REPOSITORY_ROOT, skipped))),
    });
  }
  // Its own caches: the bundles and bundle digests it builds for its new service never replace the checkout's.
  linkPackages(copy);
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** What `npm run <name> -- <args>` runs, in the copy (the launcher's bundles are built in the copy's own cache). */
const run = (name: string, args: readonly string[], env: Record<string, string> = {}): SpawnSyncReturns<string> => runPackageScript(name, args, env, copy);
/**
 * The copy's jest runs inside a worker of `npm test`'s own, on the same cores: two workers of its own, not the six its
 * config gives a whole machine (for these CPU-bound files, fewer workers take less CPU time and no longer).
 */
const COPY_JEST_WORKERS = '--maxWorkers=2';
const runJest = (args: readonly string[]) =>
  spawnSync(process.execPath, [join(REPOSITORY_ROOT, 'node_modules/jest/bin/jest.js'), '--ci', COPY_JEST_WORKERS, ...args], { cwd: copy, encoding: 'utf8' });
const read = (file: string) => readFileSync(join(copy, file), 'utf8');
const scaffold = (args: readonly string[]) => run('new:service', args);

test('refuses an existing, a reserved or an invalid name, and an unknown callee, writing nothing', () => {
  const before = [read('src/config/platform.ts'), read('src/config/environments.ts')];
  const existing = scaffold(['user-service']);
  expect(existing.status).toBe(1);
  expect(existing.stderr).toContain('new:service: a service named "user-service" is already in src/config/platform.ts');
  expect(existing.stderr).toContain('services/user-service already exists');
  expect(existing.stderr).toContain('nothing was written');
  expect(scaffold(['kit']).stderr).toContain('"kit" is reserved');
  expect(scaffold(['Bad_Name']).stderr).toContain('"Bad_Name" is not a valid service name: use a lowercase DNS label');
  const callee = scaffold(['zz-ledger-service', '--calls', 'paymnet-service']);
  expect(callee.status).toBe(1);
  expect(callee.stderr).toContain('platform config (environment dev): services.zz-ledger-service.calls: unknown service "paymnet-service"');
  expect(callee.stderr).toContain('fix: did you mean "payment-service"?');
  expect(scaffold([]).status).toBe(2);
  expect(scaffold(['a-service', '--port', '1']).stderr).toContain('unknown option --port');
  expect([read('src/config/platform.ts'), read('src/config/environments.ts')]).toEqual(before);
  expect(existsSync(join(copy, 'services/zz-ledger-service'))).toBe(false);
}, 120_000);

test("a scaffolded service synthesizes, validates and passes the tests without any edit by hand", () => {
  const created = scaffold(['zz-ledger-service', '--calls', 'payment-service', '--expose', '/api/ledger']);
  expect(created.stderr).toBe('');
  expect(created.status).toBe(0);
  expect(created.stdout).toContain('created services/zz-ledger-service/src/router.ts');
  expect(created.stdout).toContain('edited  src/config/environments.ts');
  expect(read('src/config/platform.ts')).toContain(
    "    {\n      name: 'zz-ledger-service',\n      versions: [{ name: 'v1' }],\n      calls: ['payment-service'],\n      expose: { prefix: '/api/ledger', rewrite: '/zz-ledger' },\n      slo: { latency: { percentile: 99, thresholdMs: 500 } },\n    },\n  ],\n};\n",
  );
  expect(read('src/config/environments.ts')).toContain("'zz-ledger-service': { autoscaling: { minReplicas: 2 } },");

  const outdir = join(copy, 'out');
  const synth = run('synth', [], { CDK8S_OUTDIR: outdir });
  expect(synth.stderr).toBe('');
  expect(synth.status).toBe(0);
  for (const environment of ['dev', 'staging', 'prod']) {
    expect(read(`out/${environment}/shop.k8s.yaml`)).toContain('name: zz-ledger-service-v1');
    const validation = run('validate', [join(outdir, environment)]);
    expect(validation.stdout).toMatch(/\b0 errors\b/);
    expect(validation.status).toBe(0);
  }

  const update = run('test:update', [COPY_JEST_WORKERS, 'test/platform/snapshots']);
  expect(update.status).toBe(0);
  for (const environment of ['dev', 'staging', 'prod']) {
    expect(update.stdout).toContain(`  added:   ${environment} output Deployment shop/zz-ledger-service-v1`);
    expect(update.stdout).toContain(`  changed: ${environment} output objects, in apply order`);
  }
  // payment-service gains a caller: its allow policy is the one existing object that changes.
  expect(update.stdout).toContain('  changed: dev output AuthorizationPolicy shop/payment-service-allow-callers');
  expect(update.stdout).not.toMatch(/changed: \w+ output Deployment shop\/(user|order|payment)-service/);

  const tests = runJest(['test/services/zz-ledger-service', 'test/platform/invariants.test.ts', 'test/platform/snapshots', 'test/images/tags.test.ts']);
  expect(tests.stderr).toMatch(/Tests: +\d+ passed, \d+ total/);
  expect(tests.status).toBe(0);
}, 600_000);
