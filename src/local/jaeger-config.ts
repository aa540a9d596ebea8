/**
 * The configuration of Jaeger (v2, an OpenTelemetry Collector distribution) as this project runs it: an OTLP receiver
 * (gRPC and HTTP) feeding an in-memory store that the query extension serves (HTTP API and UI, gRPC), and nothing else
 * (no self-tracing, no metrics endpoint, no other receivers). Used by the local environment's trace backend
 * (`npm run local -- --tracing`) and by the services' tracing test.
 */
import { stringify } from 'yaml';

/** Where Jaeger listens: one host for every listener, and a port each. */
export interface JaegerListeners {
  /** Address every listener binds, e.g. `127.0.0.1`, or `0.0.0.0` inside a container. */
  readonly host: string;
  /** OTLP over HTTP (conventionally 4318). */
  readonly otlpHttp: number;
  /** OTLP over gRPC (conventionally 4317). */
  readonly otlpGrpc: number;
  /** The query service's HTTP API and UI (conventionally 16686). */
  readonly queryHttp: number;
  /** The query service's gRPC API (conventionally 16685). */
  readonly queryGrpc: number;
}

/** Jaeger's conventional ports. */
export const JAEGER_DEFAULT_PORTS = { otlpHttp: 4318, otlpGrpc: 4317, queryHttp: 16686, queryGrpc: 16685 } as const;

/** How many traces the in-memory store keeps before dropping the oldest. */
const MAX_TRACES = 10_000;

/** The YAML configuration (`jaeger --config <file>`). */
export function jaegerConfig(listeners: JaegerListeners): string {
  const at = (port: number) => ({ endpoint: `${listeners.host}:${port}` });
  const store = 'memstore';
  return stringify({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query'],
      pipelines: { traces: { receivers: ['otlp'], exporters: ['jaeger_storage_exporter'] } },
      telemetry: { metrics: { level: 'none' }, logs: { level: 'warn' } },
    },
    extensions: {
      jaeger_storage: { backends: { [store]: { memory: { max_traces: MAX_TRACES } } } },
      jaeger_query: { storage: { traces: store }, enable_tracing: false, http: at(listeners.queryHttp), grpc: at(listeners.queryGrpc) },
    },
    receivers: { otlp: { protocols: { http: at(listeners.otlpHttp), grpc: at(listeners.otlpGrpc) } } },
    exporters: { jaeger_storage_exporter: { trace_storage: store } },
  });
}
