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

test("a process with the launcher's V8 flags and one without never load each other's compiled schemas (nor reject their code caches)", () => {
  const cache = mkdtempSync(join(tmpdir(), 'validator-cache-flags-'));
  const previous = { root: process.env.MESH_PLATFORM_CACHE, flags: (globalThis as Record<symbol, unknown>)[RUNTIME_V8_FLAGS_KEY] };
  const code = 'module.exports.default = function validate() { return true; };';
  try {
    process.env.MESH_PLATFORM_CACHE = cache;
    delete (globalThis as Record<symbol, unknown>)[RUNTIME_V8_FLAGS_KEY];
    new ValidatorCache(['a schema']).store('Kind', code);
    expect(typeof new ValidatorCache(['a schema']).load('Kind')).toBe('function'); // a function of the main realm, not jest's
    // As in a process src/build-cache/run-entry.js started (applyRuntimeV8Flags records the flags it set).
    (globalThis as Record<symbol, unknown>)[RUNTIME_V8_FLAGS_KEY] = RUNTIME_V8_FLAGS.join(' ');
    expect(new ValidatorCache(['a schema']).load('Kind')).toBeUndefined();
  } finally {
    if (previous.root === undefined) delete process.env.MESH_PLATFORM_CACHE;
    else process.env.MESH_PLATFORM_CACHE = previous.root;
    (globalThis as Record<symbol, unknown>)[RUNTIME_V8_FLAGS_KEY] = previous.flags;
    rmSync(cache, { recursive: true, force: true });
  }
});

test('compiling deletes the compiled schemas no process used for two weeks, and loading keeps a directory in use', () => {
  const cache = mkdtempSync(join(tmpdir(), 'validator-cache-prune-'));
  const previous = process.env.MESH_PLATFORM_CACHE;
  const code = 'module.exports.default = function validate() { return true; };';
  const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);
  const validators = join(cache, 'validators');
  const keyDirectories = () => readdirSync(validators);
  try {
    process.env.MESH_PLATFORM_CACHE = cache;
    /** Caches a kind for `schema`; returns the key directory that made. */
    const storeFor = (schema: string): string => {
      const before = new Set(filesUnder(validators));
      new ValidatorCache([schema]).store('Kind', code);
      return readdirSync(validators).find((name) => !before.has(name))!;
    };
    const [stale, recent, loaded] = ['stale schema', 'recent schema', 'old but loaded schema'].map(storeFor);
    expect(new Set([stale, recent, loaded]).size).toBe(3);
    utimesSync(join(validators, stale), daysAgo(STALE_AFTER_DAYS + 1), daysAgo(STALE_AFTER_DAYS + 1));
    utimesSync(join(validators, recent), daysAgo(STALE_AFTER_DAYS - 1), daysAgo(STALE_AFTER_DAYS - 1));
    utimesSync(join(validators, loaded), daysAgo(STALE_AFTER_DAYS + 1), daysAgo(STALE_AFTER_DAYS + 1));
    expect(typeof new ValidatorCache(['old but loaded schema']).load('Kind')).toBe('function');
    new ValidatorCache(['a new schema']).store('Kind', code);
    expect(keyDirectories()).not.toContain(stale);
    expect(keyDirectories()).toEqual(expect.arrayContaining([recent, loaded]));
    expect(keyDirectories()).toHaveLength(3);
  } finally {
    if (previous === undefined) delete process.env.MESH_PLATFORM_CACHE;
    else process.env.MESH_PLATFORM_CACHE = previous;
    rmSync(cache, { recursive: true, force: true });
  }
});

test('code that does not parse is never cached, and a damaged cached file (code or summaries) is made again', () => {
  const cache = mkdtempSync(join(tmpdir(), 'validator-cache-damaged-'));
  const previous = process.env.MESH_PLATFORM_CACHE;
  try {
    process.env.MESH_PLATFORM_CACHE = cache;
    const validators = new ValidatorCache(['a schema']);
    validators.store('Broken', 'const schema1 = {"_items":["const x = 1;"]}: module.exports.default = null;');
    expect(filesUnder(join(cache, 'validators')).some((file) => file.includes('Broken'))).toBe(false);
    validators.store('Kind', 'module.exports.default = function validate() { return true; };');
    const [file] = filesUnder(join(cache, 'validators')).filter((name) => name.endsWith('Kind.js'));
    writeFileSync(join(cache, 'validators', file), 'module.exports.default = function validate( {');
    expect(new ValidatorCache(['a schema']).load('Kind')).toBeUndefined();
    expect(filesUnder(join(cache, 'validators')).some((name) => name.endsWith('Kind.js'))).toBe(false);
    validators.storeSummaries({ 'kubernetes-1.36.3.json': { kinds: {}, definitions: {}, patterns: {} } });
    expect(new ValidatorCache(['a schema']).loadSummaries()).toEqual({ 'kubernetes-1.36.3.json': { kinds: {}, definitions: {}, patterns: {} } });
    const [summaries] = filesUnder(join(cache, 'validators')).filter((name) => name.endsWith('artifacts.json'));
    writeFileSync(join(cache, 'validators', summaries), '{"kubernetes-1.36.3.json": {');
    expect(new ValidatorCache(['a schema']).loadSummaries()).toBeUndefined();
  } finally {
    if (previous === undefined) delete process.env.MESH_PLATFORM_CACHE;
    else process.env.MESH_PLATFORM_CACHE = previous;
    rmSync(cache, { recursive: true, force: true });
  }
});

test('caching a parse deletes the parse caches of other loaders no process read for two weeks', () => {
  const cache = mkdtempSync(join(tmpdir(), 'parse-cache-prune-'));
  const previous = process.env.MESH_PLATFORM_CACHE;
  const old = new Date(Date.now() - (STALE_AFTER_DAYS + 1) * 24 * 60 * 60 * 1000);
  try {
    process.env.MESH_PLATFORM_CACHE = cache;
    const stale = join(cache, 'parsed', 'an-older-loader');
    mkdirSync(stale, { recursive: true });
    utimesSync(stale, old, old);
    new ParseCache().set('kind: ConfigMap\n', { objects: [{ kind: 'ConfigMap' }], lines: [1] });
    expect(readdirSync(join(cache, 'parsed'))).toHaveLength(1);
    expect(existsSync(stale)).toBe(false);
  } finally {
    if (previous === undefined) delete process.env.MESH_PLATFORM_CACHE;
    else process.env.MESH_PLATFORM_CACHE = previous;
    rmSync(cache, { recursive: true, force: true });
  }
});
