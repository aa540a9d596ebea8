import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
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
 * Jaeger's configuration (an OpenTelemetry Collector configuration): its OTLP receiver (HTTP and gRPC) feeding an in-memory store
 * that the query extension serves, every listener on 127.0.0.1, and nothing else (no self-tracing, no metrics
 * endpoint, no other receivers): the embedded all-in-one configuration would bind fixed ports such as 4317, 4318, 16686.
 */
function jaegerConfig(ports: { otlp: number; otlpGrpc: number; queryHttp: number; queryGrpc: number }): string {
  const loopback = (port: number) => ({ endpoint: `127.0.0.1:${port}` });
  const store = 'memstore';
  return stringify({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query'],
      pipelines: { traces: { receivers: ['otlp'], exporters: ['jaeger_storage_exporter'] } },
      telemetry: { metrics: { level: 'none' }, logs: { level: 'warn' } },
    },
    extensions: {
      jaeger_storage: { backends: { [store]: { memory: { max_traces: 10_000 } } } },
      jaeger_query: { storage: { traces: store }, enable_tracing: false, http: loopback(ports.queryHttp), grpc: loopback(ports.queryGrpc) },
    },
    receivers: { otlp: { protocols: { http: loopback(ports.otlp), grpc: loopback(ports.otlpGrpc) } } },
    exporters: { jaeger_storage_exporter: { trace_storage: store } },
  });
}

/**
 * Starts `binary` (the toolchain's `jaeger`) with {@link jaegerConfig} on free loopback ports, and resolves once its
 * query API answers and its receiver accepts spans.
 * @throws Error with Jaeger's output when it exits or is not up within `timeoutMs`
 */
export async function startJaeger(binary: string, timeoutMs = 30_000): Promise<TestJaeger> {
  const ports = { otlp: await freePort(), otlpGrpc: await freePort(), queryHttp: await freePort(), queryGrpc: await freePort() };
  const dir = mkdtempSync(join(tmpdir(), 'jaeger-'));
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, jaegerConfig(ports));
  const child: ChildProcess = spawn(binary, ['--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const otlpEndpoint = `http://127.0.0.1:${ports.otlp}`;
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
