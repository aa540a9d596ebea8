/**
 * Tracing from the environment's `observability.tracing`: the OpenTelemetry extension provider Istio's mesh config
 * gains (its Envoys export spans over OTLP), the provider name the Telemetry object selects, and the standard
 * OpenTelemetry environment variables the services' SDK reads (the sample services' kit reads exactly these), so
 * the mesh's spans and the services' own join one trace at one backend.
 */
import type { PlatformSpec, ServiceSpec, VersionSpec } from '../description/types';
import { observabilitySchema } from '../description/observability-schema';

/** The resolved tracing settings. */
export type TracingSpec = PlatformSpec['observability']['tracing'];
/** A configured trace backend. */
export type TraceBackend = NonNullable<TracingSpec['backend']>;

/** The description's tracing default: 1% sampling, no backend (so the pods get no OpenTelemetry variables). */
export const DEFAULT_TRACING: TracingSpec = observabilitySchema.shape.tracing.parse(undefined);

/** Name of the extension provider in istiod's mesh config, selected by the Telemetry object. */
export const TRACING_PROVIDER = 'otel-tracing';

/** OTLP's conventional ports: 4317 for gRPC, 4318 for HTTP. */
const DEFAULT_PORTS: Readonly<Record<TraceBackend['protocol'], number>> = { grpc: 4317, 'http/protobuf': 4318 };

/** The backend's OTLP port: the configured one, or the protocol's conventional one. */
export const backendPort = (backend: TraceBackend) => backend.port ?? DEFAULT_PORTS[backend.protocol];

/**
 * The `meshConfig.extensionProviders` entry of the backend (Istio's `opentelemetry` provider: OTLP/gRPC unless `http`
 * is set, which sends OTLP/HTTP to `/v1/traces`).
 */
export function meshTracingProvider(backend: TraceBackend): Record<string, unknown> {
  return {
    name: TRACING_PROVIDER,
    opentelemetry: {
      service: backend.host,
      port: backendPort(backend),
      ...(backend.protocol === 'http/protobuf' ? { http: { path: '/v1/traces', timeout: '5s' } } : {}),
    },
  };
}

/**
 * The OpenTelemetry SDK's standard variables for one version's pods when a backend is configured (none otherwise, so
 * an unconfigured service exports nothing): where to send (`OTEL_EXPORTER_OTLP_ENDPOINT`, `_PROTOCOL`), who sends
 * (`OTEL_SERVICE_NAME`, and `service.version` and the environment as resource attributes) and how many traces start
 * here (`parentbased_traceidratio`: a request the mesh sampled stays sampled; a new root at the environment's rate).
 */
export function otelEnvironment(
  platform: { readonly environment: string; readonly namespace: string; readonly observability: Pick<PlatformSpec['observability'], 'tracing'> },
  service: Pick<ServiceSpec, 'name'>,
  version: Pick<VersionSpec, 'name'>,
): Record<string, string> {
  const { backend, samplingPercent } = platform.observability.tracing;
  if (!backend) return {};
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://${backend.host}:${backendPort(backend)}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: backend.protocol,
    OTEL_SERVICE_NAME: service.name,
    OTEL_RESOURCE_ATTRIBUTES: `service.version=${version.name},service.namespace=${platform.namespace},deployment.environment.name=${platform.environment}`,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(samplingPercent / 100),
  };
}
