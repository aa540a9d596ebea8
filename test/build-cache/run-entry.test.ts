/**
 * The entry-point launcher (`npm run synth`) as a real process, on a throwaway copy of the repository layout: it runs
 * a TypeScript entry from a cached bundle, and never a bundle built from older sources.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT, linkPackages } from '../support/run-script';

const LAUNCHER_FILES = ['src/build-cache/run-entry.js', 'src/build-cache/manifest.js', 'src/build-cache/v8-flags.js'];

let root: string;

/** Waits until the files written so far are more than a second old: only then is a build recorded (manifest.js). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1100));

function write(path: string, contents: string): void {
  writeFileSync(join(root, path), contents);
}

/** `node src/build-cache/run-entry.js src/entry.ts <args>` in the copy; the entry prints what it sees as JSON. */
function runEntry(args: readonly string[] = [], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['src/build-cache/run-entry.js', 'src/entry.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, MESH_PLATFORM_ENTRY_CACHE: '', ...env },
  });
  return { ...result, printed: result.status === 0 ? (JSON.parse(result.stdout) as Record<string, unknown>) : undefined };
}

const manifestFile = () => join(root, 'node_modules', '.cache', 'mesh-platform', 'entries', 'src-entry.json');

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'run-entry-'));
  mkdirSync(join(root, 'src', 'build-cache'), { recursive: true });
  for (const file of LAUNCHER_FILES) copyFileSync(join(REPOSITORY_ROOT, file), join(root, file));
  copyFileSync(join(REPOSITORY_ROOT, 'tsconfig.json'), join(root, 'tsconfig.json'));
  write('package.json', '{ "name": "run-entry-fixture", "private": true }\n');
  // The repository's packages (esbuild, tsx), without its caches.
  linkPackages(root);
  write('src/message.ts', "export const message: string = 'v1';\n");
  write(
    'src/entry.ts',
    "import { message } from './message';\n" +
      "if (process.argv.includes('--fail')) throw new Error('asked to fail');\n" +
      'console.log(JSON.stringify({ message, args: process.argv.slice(2), dirname: __dirname }));\n',
  );
  await settle();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('runs the entry with its arguments and its own __dirname, then again from the cached bundle', () => {
  const first = runEntry(['--flag', 'value']);
  expect(first.stderr).toBe('');
  expect(first.printed).toEqual({ message: 'v1', args: ['--flag', 'value'], dirname: join(root, 'src') });
  const recorded = statSync(manifestFile());

  const second = runEntry(['again']);
  expect(second.printed).toEqual({ message: 'v1', args: ['again'], dirname: join(root, 'src') });
  // Reused, not rebuilt: the manifest was not rewritten.
  expect(statSync(manifestFile()).ino).toBe(recorded.ino);
  expect(statSync(manifestFile()).mtimeMs).toBe(recorded.mtimeMs);
});

test('bundles yaml, cel-js and the Grafana SDK into the entry; every other package loads from node_modules', () => {
  write(
    'src/entry.ts',
    "import { parse } from 'yaml';\nimport { Environment } from '@marcbachmann/cel-js';\nimport Ajv from 'ajv';\n" +
      "const loaded = (name: string) => Object.keys(require.cache).some((file) => file.includes(`/node_modules/${name}/`));\n" +
      "console.log(JSON.stringify({ parsed: parse('a: 1'), cel: typeof Environment, ajv: typeof Ajv, fromNodeModules: ['yaml', 'ajv'].filter(loaded) }));\n",
  );
  for (const run of [runEntry(), runEntry()]) {
    expect(run.stderr).toBe('');
    expect(run.printed).toEqual({ parsed: { a: 1 }, cel: 'function', ajv: 'function', fromNodeModules: ['ajv'] });
  }
});

test('bundles an entry that starts with a shebang (a bin), keeping it first, and runs it from the cache', async () => {
  write('src/entry.ts', `#!/usr/bin/env node\nconsole.log(JSON.stringify({ message: 'bin', args: process.argv.slice(2), dirname: __dirname }));\n`);
  await settle();
  expect(runEntry(['x']).printed).toEqual({ message: 'bin', args: ['x'], dirname: join(root, 'src') });
  // Built and recorded: without the shebang kept first the bundle would not compile, and every run would fall back to tsx.
  expect(existsSync(manifestFile())).toBe(true);
});

test('never runs a bundle built from older sources: an edit is in the very next run', async () => {
  expect(runEntry().printed?.message).toBe('v1');
  write('src/message.ts', "export const message: string = 'v2';\n");
  expect(runEntry().printed?.message).toBe('v2');
  await settle();
  expect(runEntry().printed?.message).toBe('v2');
  // A file that an import now resolves to instead (esbuild prefers .tsx to .ts).
  write('src/message.tsx', "export const message: string = 'from tsx';\n");
  expect(runEntry().printed?.message).toBe('from tsx');
});

test("reports the program's uncaught errors as Node.js does, with a bundle built in this run or cached", () => {
  for (const run of [runEntry(['--fail']), runEntry(['--fail'])]) {
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Error: asked to fail');
  }
  expect(existsSync(manifestFile())).toBe(true);
});

test("keeps V8's code cache of the bundle beside it; a cache V8 rejects is rewritten, never a failure", () => {
  expect(runEntry(['a']).printed?.args).toEqual(['a']);
  const bundles = () => readdirSync(join(root, 'node_modules', '.cache', 'mesh-platform', 'entries'));
  const codeCache = bundles().find((file) => file.endsWith('.js.v8'));
  expect(codeCache).toBeDefined();
  const codeCacheFile = join(root, 'node_modules', '.cache', 'mesh-platform', 'entries', codeCache!);
  expect(runEntry(['b']).printed?.args).toEqual(['b']);
  writeFileSync(codeCacheFile, 'not a code cache');
  expect(runEntry(['c']).printed?.args).toEqual(['c']);
  expect(readFileSync(codeCacheFile, 'utf8')).not.toBe('not a code cache');
});

test('with source maps on (NODE_OPTIONS=--enable-source-maps), stack traces name the TypeScript lines', () => {
  runEntry();
  const failed = runEntry(['--fail'], { NODE_OPTIONS: '--enable-source-maps' });
  expect(failed.status).toBe(1);
  expect(failed.stderr).toMatch(/src\/entry\.ts:2:\d+/);
});

test('leaves a source that does not compile to tsx, which names the file and the line', () => {
  write('src/message.ts', "export const message: string = 'v1;\n");
  const result = runEntry();
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/message\.ts:1:\d+: ERROR: Unterminated string literal/);
  expect(existsSync(manifestFile())).toBe(false);
});

test("sets its V8 flags (a heap bounded to twice what is live) in the entry's process and records them for the validator's caches", () => {
  write('src/entry.ts', "import { RUNTIME_V8_FLAGS_KEY } from './build-cache/v8-flags';\n"
    + 'console.log(JSON.stringify({ flags: (globalThis as Record<symbol, unknown>)[RUNTIME_V8_FLAGS_KEY] }));\n');
  expect(runEntry().printed).toEqual({ flags: '--heap-growing-percent=100' });
  expect(runEntry([], { MESH_PLATFORM_ENTRY_CACHE: 'off' }).printed).toEqual({ flags: '--heap-growing-percent=100' });
});

test('runs the entry through tsx without any cache when MESH_PLATFORM_ENTRY_CACHE=off', () => {
  const result = runEntry(['x'], { MESH_PLATFORM_ENTRY_CACHE: 'off' });
  expect(result.printed).toEqual({ message: 'v1', args: ['x'], dirname: join(root, 'src') });
  expect(existsSync(join(root, 'node_modules', '.cache'))).toBe(false);
});
