/** Build manifests: a recorded build is reused exactly while the files it read are unchanged. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cacheDirectory, readFreshManifest, writeManifest } from '../../src/build-cache/manifest';

const SALT = 'tool 1.0, options A';
const INPUTS = ['src/main.ts', 'src/lib/util.ts'];

let root: string;
let manifestFile: string;

function write(path: string, contents: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), contents);
}

/** Records a build of INPUTS starting now. */
function recordBuild(output: unknown = { bundle: 'main-1.js' }): boolean {
  return writeManifest(manifestFile, root, { salt: SALT, inputs: INPUTS, output, startedMs: Date.now() });
}

/**
 * Waits until the files written so far are more than a second old: a build is recorded only when its inputs changed
 * at least a second before it started (change times cannot be set back, so the tests wait).
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1100));

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'build-cache-'));
  manifestFile = join(cacheDirectory(root, 'test'), 'main.json');
  write('src/main.ts', 'import { util } from "./lib/util";\nconsole.log(util);\n');
  write('src/lib/util.ts', 'export const util = 1;\n');
  await settle();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('keeps its cache under node_modules/.cache/mesh-platform of the root', () => {
  expect(manifestFile).toBe(join(root, 'node_modules', '.cache', 'mesh-platform', 'test', 'main.json'));
});

test('gives back what the build recorded while its inputs are unchanged', () => {
  expect(recordBuild()).toBe(true);
  expect(readFreshManifest(manifestFile, root, SALT)?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  expect(readFreshManifest(manifestFile, root, SALT)?.output).toEqual({ bundle: 'main-1.js' });
  expect(readFreshManifest(manifestFile, root, SALT)?.inputs).toEqual([...INPUTS].sort());
});

test('is a miss when an input changes, even to bytes of the same length', () => {
  recordBuild();
  write('src/lib/util.ts', 'export const util = 2;\n');
  expect(readFreshManifest(manifestFile, root, SALT)).toBeUndefined();
});

test('is a miss when an input is deleted, or a file is added beside one (it could change how an import resolves)', () => {
  recordBuild();
  write('src/lib/util.tsx', 'export const util = 3;\n');
  expect(readFreshManifest(manifestFile, root, SALT)).toBeUndefined();
  rmSync(join(root, 'src/lib/util.tsx'));
  expect(readFreshManifest(manifestFile, root, SALT)).toBeDefined();
  rmSync(join(root, 'src/lib/util.ts'));
  expect(readFreshManifest(manifestFile, root, SALT)).toBeUndefined();
});

test('is a miss for another salt (tool version, options), a manifest of another layout, or none', () => {
  recordBuild();
  expect(readFreshManifest(manifestFile, root, 'tool 1.1, options A')).toBeUndefined();
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, version: 0 }));
  expect(readFreshManifest(manifestFile, root, SALT)).toBeUndefined();
  writeFileSync(manifestFile, '{"truncated');
  expect(readFreshManifest(manifestFile, root, SALT)).toBeUndefined();
  expect(readFreshManifest(join(root, 'absent.json'), root, SALT)).toBeUndefined();
});

test('still hits when files are only touched (new times, same bytes), checked by their bytes', () => {
  recordBuild();
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(root, 'src/main.ts'), later, later);
  expect(readFreshManifest(manifestFile, root, SALT)?.output).toEqual({ bundle: 'main-1.js' });
});

test('records nothing when an input changed less than a second before the build started or since', () => {
  write('src/lib/util.ts', 'export const util = 2;\n');
  expect(recordBuild()).toBe(false);
  expect(readFreshManifest(manifestFile, root, SALT)).toBeUndefined();
});

test('is recorded when the cache folder was only just created in node_modules (the first run after npm ci)', async () => {
  write('node_modules/pkg/index.js', 'module.exports = 1;\n');
  await settle();
  rmSync(join(root, 'node_modules', '.cache'), { recursive: true });
  manifestFile = join(cacheDirectory(root, 'test'), 'main.json');
  const inputs = [...INPUTS, 'node_modules/pkg/index.js'];
  expect(writeManifest(manifestFile, root, { salt: SALT, inputs, output: 1, startedMs: Date.now() })).toBe(true);
  expect(readFreshManifest(manifestFile, root, SALT)?.output).toBe(1);
});

test('ignores files of other directories and names starting with a dot', () => {
  recordBuild();
  write('docs/notes.md', 'unrelated\n');
  write('src/.eslintcache', 'tool state\n');
  expect(readFreshManifest(manifestFile, root, SALT)).toBeDefined();
});
