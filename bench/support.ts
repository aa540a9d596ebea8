/**
 * What the service benchmarks share: running a script bundled as the images bundle it, in its own process, and
 * reading CPU time, medians and the machine's description.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { bundleOptions } from '../src/images/bundle';
import { freePort } from '../test/support/ports';

/** The repository root. */
export const ROOT = resolve(__dirname, '..');
/** Linux reports process CPU time in clock ticks of 10 ms (USER_HZ = 100). */
export const MICROSECONDS_PER_TICK = 10_000;
/** Temporary directory of this run (bundles, scripts). */
export const WORK_DIR = mkdtempSync(join(tmpdir(), 'bench-services-'));

/** A server under test. */
export interface Target {
  /** Shown in the table. */
  readonly label: string;
  /** Entry point, relative to the repository root. */
  readonly script: string;
  /** Extra environment. */
  readonly env: Record<string, string>;
}

/** Bundles a target's script exactly as an image bundles a service, and returns the bundle's path. */
function bundle(script: string): string {
  const name = script.replace(/[^a-z0-9]+/gi, '-');
  buildSync({ ...bundleOptions([]), entryPoints: { [name]: script }, outdir: WORK_DIR, write: true, metafile: false });
  return join(WORK_DIR, `${name}.js`);
}

/**
 * Starts a target bundled, under plain `node` (as the images run it; tsx would measure its loader too), its stdout
 * (the JSON logs) discarded, and waits until `readyPath` answers 200.
 */
export async function startTarget(target: Target, readyPath = '/healthz'): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [bundle(target.script)], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...target.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`${target.label} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}${readyPath}`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`${target.label} did not become ready`);
}

/** Sends SIGTERM and waits for the exit. */
export async function stopTarget(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** User plus system CPU time of a process so far, in clock ticks (Linux). */
export function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Node.js version, cores, CPU model, platform. */
export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${cpus().length} cores (nproc), ${cpu}, ${process.platform}/${process.arch}`;
}

/** The 1, 5 and 15 minute load averages. */
export function loadavg(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** Prints a result table and writes it to `bench/results/<name>.md`. */
export function writeResult(name: string, table: string): void {
  process.stdout.write(`${table}\n`);
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(resolve(ROOT, `bench/results/${name}.md`), `${table}\n`);
}
