/**
 * OpenTelemetry's SDK, set up for one service. `runService` imports this module only when a backend is configured,
 * so a service without one loads none of it.
 */
import { DiagLogLevel, type TextMapPropagator, diag } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from './config';
import { Tracing } from './spans';

/** How long shutdown waits for the buffered spans to be exported. */
const FINAL_EXPORT_BUDGET_MS = 2000;

/** The running SDK. */
export interface TracingSdk {
  /** What the service's app records its spans with. */
  readonly tracing: Tracing;
  /** Exports the spans still buffered (for up to 2 s) and stops; call it when the service shuts down. */
  shutdown(): Promise<void>;
  /**
   * Logs the SDK's problems (a failed export: the backend unreachable or refusing) as warnings, one per failed batch,
   * through OpenTelemetry's diagnostic logger (silent unless one is set, and the only global this sets).
   */
  logProblemsTo(log: TracingProblemLog): void;
}

/** Where the SDK's own problems go (failed exports: an unreachable or refusing backend). */
export interface TracingProblemLog {
  warn(details: object, message: string): void;
}

/**
 * Starts exporting `service`'s spans in batches over OTLP (HTTP with protobuf or JSON, or gRPC) to `config.endpoint`. Spans carry `service.name`
 * (`OTEL_SERVICE_NAME` when set, else the service's name) and `service.version` (`SERVICE_VERSION`), plus whatever
 * `OTEL_RESOURCE_ATTRIBUTES` adds. Trace context is read from W3C Trace Context and B3 headers and written as both
 * (B3 as multiple `x-b3-*` headers), so Envoy's spans and the services' own join one trace whichever a mesh uses.
 * Nothing is registered globally (but see `logProblemsTo`): only the returned {@link Tracing} records spans.
 */
export function startTracing(config: TracingConfig, service: { readonly name: string; readonly version: string }): TracingSdk {
  const Exporter = { 'http/protobuf': OtlpProtobufExporter, 'http/json': OtlpJsonExporter, grpc: OtlpGrpcExporter }[config.protocol];
  const exporter = new Exporter({ url: config.endpoint });
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: service.name, [ATTR_SERVICE_VERSION]: service.version }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({
    resource,
    sampler: sampler(config),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    tracing: new Tracing(provider.getTracer(service.name, service.version), tracePropagator()),
    // A backend that is down must not hold the exit (the SDK would retry for tens of seconds).
    shutdown: () => Promise.race([provider.shutdown(), new Promise<void>((done) => setTimeout(done, FINAL_EXPORT_BUDGET_MS).unref())]),
    logProblemsTo: (log) => {
      const warn = (message: string, ...details: unknown[]) =>
        log.warn({ details: [message, ...details].map(String) }, `tracing: ${errorMessage(message)}`);
      const ignore = () => undefined;
      diag.setLogger({ error: warn, warn, info: ignore, debug: ignore, verbose: ignore }, DiagLogLevel.WARN);
    },
  };
}

/**
 * Reads W3C Trace Context and B3 (single or multiple headers); writes W3C Trace Context and multi-header B3. When a
 * request carries both, W3C's wins: it is read last, and it keeps `tracestate`.
 */
export function tracePropagator(): TextMapPropagator {
  return new CompositePropagator({
    propagators: [new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }), new W3CTraceContextPropagator()],
  });
}

/** The sampler `OTEL_TRACES_SAMPLER` names (`parentbased_*`: follow the caller's decision, e.g. Envoy's, when there is one). */
function sampler({ sampler: name, samplerRatio }: TracingConfig): Sampler {
  const root: Record<string, () => Sampler> = {
    always_on: () => new AlwaysOnSampler(),
    always_off: () => new AlwaysOffSampler(),
    traceidratio: () => new TraceIdRatioBasedSampler(samplerRatio),
  };
  const parentBased = name.startsWith('parentbased_');
  const chosen = root[name.replace('parentbased_', '')]();
  return parentBased ? new ParentBasedSampler({ root: chosen }) : chosen;
}

/** The message of an error the SDK reports as JSON (its `loggingErrorHandler`), else the text itself. */
function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : text;
  } catch {
    return text;
  }
}
