/**
 * A tool that cannot be had does not take the others down: a module version the Go module proxy refuses is named in
 * one line with the versions it serves (the real go command against a proxy on loopback that answers as the public
 * one does for a withdrawn version), and a failing build leaves every other tool built, linked and usable.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadModule, ModuleUnavailableError } from '../../src/toolchain/go';
import { ensureToolchain, toolchainBin } from '../../src/toolchain/index';
import type { Recipe } from '../../src/toolchain/recipes';

const WITHDRAWN = { module: 'example.com/withdrawn', version: 'v0.0.0-20260916195427-190ae921b848' };

describe('a module version the proxy refuses', () => {
  let proxy: ChildProcess;
  let scratch: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'toolchain-proxy-'));
    // The public proxy's answers: a version list, and 403 "not available" for the withdrawn pseudo-version. In a
    // process of its own, since downloadModule waits for the go command synchronously.
    const script = `require('node:http').createServer((request, response) => {
      if (request.url === '/${WITHDRAWN.module}/@v/list') response.end('v1.2.0\\nv1.3.1\\n');
      else response.writeHead(403).end('This module version is not available.');
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
    proxy = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve) => proxy.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
    Object.assign(process.env, { GOPROXY: `http://127.0.0.1:${port}`, GOSUMDB: 'off', GOMODCACHE: join(scratch, 'mod') });
  });

  afterAll(() => {
    process.env = saved;
    proxy.kill();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('is reported with the module, the version and the versions the proxy does serve', () => {
    let error: unknown;
    try {
      downloadModule(WITHDRAWN.module, WITHDRAWN.version);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModuleUnavailableError);
    expect((error as Error).message).toBe(
      `the Go module proxy does not serve ${WITHDRAWN.module}@${WITHDRAWN.version} (it serves v1.2.0, v1.3.1); pin a served version in src/versions.ts`,
    );
  });
});

describe('ensureToolchain with one tool that cannot be built', () => {
  let cache: string;
  const saved = process.env.MESH_PLATFORM_CACHE;
  const tool = (name: string) => ({ module: `example.com/${name}`, version: 'v1.0.0', release: 'v1.0.0' });
  const recipes: Recipe[] = [
    {
      name: 'broken',
      tool: tool('broken'),
      binaries: ['broken'],
      build: async () => {
        throw new ModuleUnavailableError('example.com/broken', 'v1.0.0', ['v0.9.0']);
      },
    },
    {
      name: 'working',
      tool: tool('working'),
      binaries: ['working'],
      build: async ({ bin }) => {
        mkdirSync(bin, { recursive: true });
        writeFileSync(join(bin, 'working'), '#!/bin/sh\necho ok\n', { mode: 0o755 });
      },
    },
  ];

  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'toolchain-cache-'));
    process.env.MESH_PLATFORM_CACHE = cache;
  });
  afterEach(() => {
    process.env.MESH_PLATFORM_CACHE = saved;
    rmSync(cache, { recursive: true, force: true });
  });

  test('builds and links the others, and records why the broken one is missing', async () => {
    const progress: string[] = [];
    const { bin, unavailable } = await ensureToolchain({ recipes, progress: (line) => progress.push(line) });
    expect(unavailable).toEqual({
      broken: 'broken (broken): the Go module proxy does not serve example.com/broken@v1.0.0 (it serves v0.9.0); pin a served version in src/versions.ts',
    });
    expect(bin).toBe(toolchainBin());
    expect(existsSync(join(bin, 'working'))).toBe(true);
    expect(existsSync(join(bin, 'broken'))).toBe(false);
    expect(progress).toContain('[2/2] working v1.0.0: building working from example.com/working@v1.0.0 ...');
    expect(JSON.parse(readFileSync(join(bin, '..', 'unavailable.json'), 'utf8'))).toEqual(unavailable);
  });

  test('fails, naming it, when the broken tool is one the caller requires', async () => {
    await expect(ensureToolchain({ recipes, required: ['broken'] })).rejects.toThrow(
      'toolchain: broken (broken): the Go module proxy does not serve example.com/broken@v1.0.0',
    );
  });

  test('two builds of the same tool at once build it once: the second waits for the first and uses its result', async () => {
    let builds = 0;
    const slow: Recipe = {
      ...recipes[1],
      build: async (dirs) => {
        builds += 1;
        await new Promise((resolve) => setTimeout(resolve, 500));
        await recipes[1].build(dirs);
      },
    };
    const messages: string[] = [];
    const [first, second] = await Promise.all([
      ensureToolchain({ recipes: [slow] }),
      ensureToolchain({ recipes: [slow], progress: (line) => messages.push(line) }),
    ]);
    expect(builds).toBe(1);
    expect([first.unavailable, second.unavailable]).toEqual([{}, {}]);
    expect(messages).toContain('working: waiting for another process building it');
  });

  test.each([[1, 1], [2, 2]])('with concurrency %i, at most %i tools build at once', async (concurrency, expected) => {
    let running = 0;
    let most = 0;
    const timed = (name: string): Recipe => ({
      ...recipes[1],
      name,
      binaries: [name],
      build: async ({ bin }) => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 300));
        running -= 1;
        mkdirSync(bin, { recursive: true });
        writeFileSync(join(bin, name), '');
      },
    });
    const { unavailable } = await ensureToolchain({ recipes: [timed('a'), timed('b'), timed('c')], concurrency });
    expect(unavailable).toEqual({});
    expect(most).toBe(expected);
  });
});
