/**
 * The CLI's caches (compiled schemas: src/validation/schema/validator-cache.ts; parsed files: src/validation/parse-cache.ts)
 * change how fast it answers, never what: a run that compiles every kind and parses every file, and the next one served
 * from the caches, print the same report. Compiled schemas are kept apart per set of V8 flags, whose code caches V8
 * would reject across them.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNTIME_V8_FLAGS, RUNTIME_V8_FLAGS_KEY } from '../../src/build-cache/v8-flags';
import { ParseCache } from '../../src/validation/parse-cache';
import { STALE_AFTER_DAYS, ValidatorCache } from '../../src/validation/schema/validator-cache';
import { runPackageScript } from '../support/run-script';

const CORPUS = 'test/validation/corpus';

/** `npm run -s validate -- …` without npm, with its caches under `cache`. */
function validate(cache: string, ...args: string[]): { status: number | null; stdout: string } {
  const result = runPackageScript('validate', args, { MESH_PLATFORM_CACHE: cache });
  return { status: result.status, stdout: result.stdout };
}

/** The files under `dir`, recursively (none when it does not exist). */
const filesUnder = (dir: string): string[] => {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
};

test('a run served from the caches reports exactly what a run that compiles and parses everything reports', () => {
  const cache = mkdtempSync(join(tmpdir(), 'validate-caches-'));
  try {
    const first = validate(cache, '--format', 'json', '--one-set', CORPUS);
    expect(filesUnder(join(cache, 'validators')).filter((file) => file.endsWith('.js')).length).toBeGreaterThan(10);
    expect(filesUnder(join(cache, 'parsed')).filter((file) => file.endsWith('.json')).length).toBeGreaterThan(100);
    const second = validate(cache, '--format', 'json', '--one-set', CORPUS);
    expect(first.status).toBe(1);
    expect(JSON.parse(first.stdout).findings.length).toBeGreaterThan(100);
    expect(second).toEqual(first);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

/** Runs `check` with this process' cache root (MESH_PLATFORM_CACHE) a new temporary directory, removed afterwards. */
function inCacheRoot(check: (cache: string) => void): void {
  const cache = mkdtempSync(join(tmpdir(), 'validation-caches-'));
  const previous = process.env.MESH_PLATFORM_CACHE;
  try {
    process.env.MESH_PLATFORM_CACHE = cache;
    check(cache);
  } finally {
    if (previous === undefined) delete process.env.MESH_PLATFORM_CACHE;
    else process.env.MESH_PLATFORM_CACHE = previous;
    rmSync(cache, { recursive: true, force: true });
  }
}

const CODE = 'module.exports.default = function validate() { return true; };';
const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

test("a process with the launcher's V8 flags and one without never load each other's compiled schemas (nor reject their code caches)", () => {
  const flags = (globalThis as Record<symbol, unknown>)[RUNTIME_V8_FLAGS_KEY];
  try {
    inCacheRoot(() => {
      delete (globalThis as Record<symbol, unknown>)[RUNTIME_V8_FLAGS_KEY];
      new ValidatorCache(['a schema']).store('Kind', CODE);
      expect(typeof new ValidatorCache(['a schema']).load('Kind')).toBe('function'); // a function of the main realm, not jest's
      // As in a process src/build-cache/run-entry.js started (applyRuntimeV8Flags records the flags it set).
      (globalThis as Record<symbol, unknown>)[RUNTIME_V8_FLAGS_KEY] = RUNTIME_V8_FLAGS.join(' ');
      expect(new ValidatorCache(['a schema']).load('Kind')).toBeUndefined();
    });
  } finally {
    (globalThis as Record<symbol, unknown>)[RUNTIME_V8_FLAGS_KEY] = flags;
  }
});

test('compiling deletes the compiled schemas no process used for two weeks, and loading keeps a directory in use', () => inCacheRoot((cache) => {
  const validators = join(cache, 'validators');
  const keyDirectories = () => readdirSync(validators);
  /** Caches a kind for `schema`; returns the key directory that made. */
  const storeFor = (schema: string): string => {
    const before = new Set(filesUnder(validators));
    new ValidatorCache([schema]).store('Kind', CODE);
    return readdirSync(validators).find((name) => !before.has(name))!;
  };
  const [stale, recent, loaded] = ['stale schema', 'recent schema', 'old but loaded schema'].map(storeFor);
  expect(new Set([stale, recent, loaded]).size).toBe(3);
  utimesSync(join(validators, stale), daysAgo(STALE_AFTER_DAYS + 1), daysAgo(STALE_AFTER_DAYS + 1));
  utimesSync(join(validators, recent), daysAgo(STALE_AFTER_DAYS - 1), daysAgo(STALE_AFTER_DAYS - 1));
  utimesSync(join(validators, loaded), daysAgo(STALE_AFTER_DAYS + 1), daysAgo(STALE_AFTER_DAYS + 1));
  expect(typeof new ValidatorCache(['old but loaded schema']).load('Kind')).toBe('function');
  new ValidatorCache(['a new schema']).store('Kind', CODE);
  expect(keyDirectories()).not.toContain(stale);
  expect(keyDirectories()).toEqual(expect.arrayContaining([recent, loaded]));
  expect(keyDirectories()).toHaveLength(3);
}));

test('code that does not parse is never cached, and a damaged cached file (code or summaries) is made again', () => inCacheRoot((cache) => {
  const entries = () => filesUnder(join(cache, 'validators'));
  const validators = new ValidatorCache(['a schema']);
  validators.store('Broken', 'const schema1 = {"_items":["const x = 1;"]}: module.exports.default = null;');
  expect(entries().some((file) => file.includes('Broken'))).toBe(false);
  validators.store('Kind', CODE);
  const [file] = entries().filter((name) => name.endsWith('Kind.js'));
  writeFileSync(join(cache, 'validators', file), 'module.exports.default = function validate( {');
  expect(new ValidatorCache(['a schema']).load('Kind')).toBeUndefined();
  expect(entries().some((name) => name.endsWith('Kind.js'))).toBe(false);
  const summaries = { 'kubernetes-1.36.3.json': { kinds: {}, definitions: {}, patterns: {} } };
  validators.storeSummaries(summaries);
  expect(new ValidatorCache(['a schema']).loadSummaries()).toEqual(summaries);
  const [summariesFile] = entries().filter((name) => name.endsWith('artifacts.json'));
  writeFileSync(join(cache, 'validators', summariesFile), '{"kubernetes-1.36.3.json": {');
  expect(new ValidatorCache(['a schema']).loadSummaries()).toBeUndefined();
}));

test('caching a parse deletes the parse caches of other loaders no process read for two weeks', () => inCacheRoot((cache) => {
  const stale = join(cache, 'parsed', 'an-older-loader');
  mkdirSync(stale, { recursive: true });
  utimesSync(stale, daysAgo(STALE_AFTER_DAYS + 1), daysAgo(STALE_AFTER_DAYS + 1));
  new ParseCache().set('kind: ConfigMap\n', { objects: [{ kind: 'ConfigMap' }], lines: [1] });
  expect(readdirSync(join(cache, 'parsed'))).toHaveLength(1);
  expect(existsSync(stale)).toBe(false);
}));
