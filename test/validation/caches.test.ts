/**
 * The CLI's caches (compiled schemas: src/validation/schema/validator-cache.ts; parsed files: src/validation/parse-cache.ts)
 * change how fast it answers, never what: a run that compiles every kind and parses every file, and the next one served
 * from the caches, print the same report. Compiled schemas are kept apart per set of V8 flags, whose code caches V8
 * would reject across them.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNTIME_V8_FLAGS, RUNTIME_V8_FLAGS_KEY } from '../../src/build-cache/v8-flags';
import { ValidatorCache } from '../../src/validation/schema/validator-cache';
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
