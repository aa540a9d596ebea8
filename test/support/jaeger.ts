import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jaegerConfig } from '../../src/local/jaeger-config';
import { freePort } from './ports';

/** A span as Jaeger's query API (`/api/traces/<id>`) returns it. */
export interface JaegerSpan {
  readonly traceID: string;
  readonly spanID: string;
  readonly operationName: string;
  /** The parent is the `CHILD_OF` reference. */
  readonly references: readonly { readonly refType: string; readonly traceID: string; readonly spanID: string }[];
  readonly processID: string;
  readonly tags: readonly { readonly key: string; readonly value: unknown }[];
}

/** A trace as Jaeger's query API returns it: its spans and the processes (services) that reported them. */
export interface JaegerTrace {
  readonly traceID: string;
  readonly spans: readonly JaegerSpan[];
  readonly processes: Readonly<Record<string, { readonly serviceName: string; readonly tags: JaegerSpan['tags'] }>>;
}

/** Jaeger (v2, the all-in-one binary) on loopback ports, keeping spans in memory. */
export interface TestJaeger {
  /** Base URL of the OTLP/HTTP receiver, for `OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. `http://127.0.0.1:40123`. */
  readonly otlpEndpoint: string;
  /** URL of the OTLP/gRPC receiver, for `OTEL_EXPORTER_OTLP_ENDPOINT` with `OTEL_EXPORTER_OTLP_PROTOCOL=grpc`. */
  readonly otlpGrpcEndpoint: string;
  /** Base URL of the query service (HTTP API and UI). */
  readonly queryUrl: string;
  /** The trace with that id, or undefined while Jaeger has none. */
  trace(traceId: string): Promise<JaegerTrace | undefined>;
  /** Everything the process wrote so far. */
  output(): string;
  /** Stops the process (by pid) and removes its configuration. */
  stop(): Promise<void>;
}

/**
 * Starts `binary` (the toolchain's `jaeger`) with the project's Jaeger configuration on free loopback ports (the
 * embedded all-in-one configuration would bind fixed ones), and resolves once its
 * query API answers and its receiver accepts spans.
 * @throws Error with Jaeger's output when it exits or is not up within `timeoutMs`
 */
export async function startJaeger(binary: string, timeoutMs = 30_000): Promise<TestJaeger> {
  const ports = { otlpHttp: await freePort(), otlpGrpc: await freePort(), queryHttp: await freePort(), queryGrpc: await freePort() };
  const dir = mkdtempSync(join(tmpdir(), 'jaeger-'));
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, jaegerConfig({ host: '127.0.0.1', ...ports }));
  const child: ChildProcess = spawn(binary, ['--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const otlpEndpoint = `http://127.0.0.1:${ports.otlpHttp}`;
  const queryUrl = `http://127.0.0.1:${ports.queryHttp}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`jaeger exited with ${child.exitCode} before it was up:\n${output}`);
    }
    if ((await answers(`${queryUrl}/api/services`)) && (await answers(`${otlpEndpoint}/v1/traces`, 'POST'))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jaeger is not up within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    otlpEndpoint,
    otlpGrpcEndpoint: `http://127.0.0.1:${ports.otlpGrpc}`,
    queryUrl,
    output: () => output,
    stop,
    trace: async (traceId) => {
      const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`jaeger answered ${response.status} for trace ${traceId}: ${await response.text()}`);
      const body = (await response.json()) as { data: JaegerTrace[] };
      return body.data[0];
    },
  };
}

/** Whether anything answers HTTP at `url` (any status: the receiver answers an empty POST with 4xx). */
async function answers(url: string, method = 'GET'): Promise<boolean> {
  try {
    await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
    return true;
  } catch {
    return false;
  }
}
