import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { serviceBundle } from '../../../src/images/index';
import { runDirectory } from '../../support/run-directory';

const repositoryRoot = resolve(__dirname, '../../..');

/**
 * Where this process writes the services' bundles: the run's directory (test/support/global-setup.ts), so that one
 * test file bundles them for the whole run, else a directory of this process's own.
 */
let bundleDirectory: string | undefined;

/**
 * A service's bundle, `services/<name>/src/main.ts` and everything it imports in one file, exactly what its image runs
 * as /app/main.js (src/images/bundle.ts), written once per run: a process starts from it in about a third of the time
 * `node --import tsx` takes to load the sources, and the tests start dozens.
 */
function bundleOf(name: string): string {
  if (bundleDirectory === undefined) {
    const run = runDirectory();
    const own = run === undefined ? mkdtempSync(join(tmpdir(), 'mesh-bundles-')) : undefined;
    if (own) process.once('exit', () => rmSync(own, { recursive: true, force: true }));
    bundleDirectory = run === undefined ? own! : join(run, 'bundles');
  }
  const file = join(bundleDirectory, `${name}.js`);
  if (!existsSync(file)) {
    mkdirSync(bundleDirectory, { recursive: true });
    // Written aside and renamed: another worker may be starting the same file at the same moment (same bytes).
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, serviceBundle(name).contents);
    renameSync(partial, file);
  }
  return file;
}

/** `node <the service's bundle>` on port 0 of 127.0.0.1, from the repository root, stdout and stderr piped. */
function spawnService(name: string, env: Record<string, string>): ChildProcess & { stdout: Readable; stderr: Readable } {
  return spawn(process.execPath, [bundleOf(name)], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A service running as a real process on a loopback port. */
export interface RunningService {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string;
  /** The process. */
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once the process has exited and its output is read to the end ("close", not "exit"). */
  readonly exited: Promise<number | null>;
  /** Sends SIGTERM (if still running) and waits for the exit. */
  stop(): Promise<number | null>;
}

/**
 * Starts `services/<name>/src/main.ts` (bundled, as its image runs it) on port 0 (the OS picks a free port, so
 * parallel tests never collide) bound to 127.0.0.1, and resolves once it logs the address it listens on.
 */
export function startService(name: string, env: Record<string, string> = {}): Promise<RunningService> {
  const child = spawnService(name, env);
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  return new Promise((resolveStart, rejectStart) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!match) return;
      child.stdout.off('data', onData);
      child.stdout.on('data', (more: Buffer) => (output += more.toString()));
      resolveStart({
        url: match[1],
        child,
        output: () => output,
        exited,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => rejectStart(new Error(`${name} exited with ${code} before listening:\n${output}`)));
  });
}

/** Runs a service to completion (for start-up failures) and returns its exit code and output. */
export async function runToExit(name: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawnService(name, env);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once('close', (exitCode) => done(exitCode)));
  return { code, output };
}

/** POSTs JSON and returns the status, headers and parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** GETs and returns the status and parsed JSON body. */
export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * The first line of a service's output that satisfies `matches`, waiting up to `timeoutMs` for it: a request's log
 * line is written when its response has finished, which can be after the client has read the response.
 */
export async function waitForLine(service: RunningService, matches: (line: string) => boolean, timeoutMs = 3000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = service.output().split('\n').find(matches);
    if (line !== undefined || Date.now() > deadline) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls `GET /readyz` until it answers 200 (e.g. the database is migrated). @throws Error with the last answer */
export async function waitUntilReady(service: RunningService, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${service.url}/readyz`);
    const text = await response.text();
    if (response.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${service.url} not ready within ${timeoutMs} ms: ${response.status} ${text}\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts a service and waits until `/readyz` answers 200. */
export async function startReadyService(name: string, env: Record<string, string> = {}): Promise<RunningService> {
  const service = await startService(name, env);
  await waitUntilReady(service);
  return service;
}

export { freePort } from '../../support/ports';

/** Polls `read` until `done` holds for its result, or fails after `timeoutMs` showing the last result. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not done after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
