/**
 * The Go-built Prometheus and Alertmanager as processes on loopback ports, each with its configuration and data in a
 * temporary directory owned by the test, ready when `/-/ready` answers 200, stopped by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../support/ports';

/** A server process started by a test. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string;
  readonly pid: number;
  /** What it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM by PID, waits for the exit, removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts `binary` with `args(dir, port)`, `config` written to `dir/config.yml` and `files` beside it first; resolves once `/-/ready`
 * answers 200 (within 30 s).
 */
async function startServer(
  binary: string, config: object, files: Readonly<Record<string, string>>, args: (dir: string, port: number) => string[], port?: number,
): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-obs-'));
  writeFileSync(join(dir, 'config.yml'), stringify(config, { lineWidth: 0 }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  port ??= await freePort();
  const child: ChildProcess = spawn(binary, args(dir, port), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    url,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${binary} exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${binary} not ready within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Prometheus with `config` and `files` beside it (rule files: relative paths in `rule_files`), its TSDB in the temporary directory. */
export function startPrometheus(binary: string, config: object, files: Readonly<Record<string, string>>): Promise<RunningServer> {
  return startServer(binary, config, files, (dir, port) => [
    `--config.file=${join(dir, 'config.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
}

/** Alertmanager with `config` on `port` (a free one by default), clustering off (it would listen on every interface otherwise). */
export function startAlertmanager(binary: string, config: object, port?: number): Promise<RunningServer> {
  return startServer(binary, config, {}, (dir, listen) => [
    `--config.file=${join(dir, 'config.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${listen}`,
    '--cluster.listen-address=',
  ], port);
}

/** An instant query against Prometheus' HTTP API; rejects with Prometheus' error for a bad query. */
export async function instantQuery(prometheus: Pick<RunningServer, 'url'>, expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${prometheus.url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr }) });
  const body = (await response.json()) as {
    status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${response.status}`);
  return body.data!.resultType === 'vector' ? body.data!.result : [];
}

/** A webhook receiver on a loopback port that keeps every JSON body posted to it. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: readonly Record<string, unknown>[];
  close(): Promise<void>;
}

/** Starts a {@link WebhookReceiver}. */
export function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Record<string, unknown>[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      response.writeHead(200).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    resolve({ url: `http://127.0.0.1:${port}/alerts`, received, close: () => new Promise((done) => server.close(() => done())) });
  }));
}
