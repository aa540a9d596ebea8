import type { EnvReader } from '../config';

/** The samplers of OpenTelemetry's `OTEL_TRACES_SAMPLER` that the services support (all of the SDK's built-in ones). */
export const SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
/** A sampler name of `OTEL_TRACES_SAMPLER`. */
export type SamplerName = (typeof SAMPLERS)[number];

/** The OTLP transports of `OTEL_EXPORTER_OTLP_PROTOCOL`: all three of the specification. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
/** An `OTEL_EXPORTER_OTLP_PROTOCOL` value. */
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/**
 * Where and how a service exports its spans, read from OpenTelemetry's standard variables. Present only when a backend
 * is configured; without one the service loads no SDK and creates no spans (it still forwards the trace headers).
 */
export interface TracingConfig {
  /**
   * Where the spans go: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, else `OTEL_EXPORTER_OTLP_ENDPOINT`, over HTTP
   * with `/v1/traces` appended (as the OpenTelemetry specification says), e.g. `http://otel-collector:4318/v1/traces`
   * or, over gRPC, `http://otel-collector:4317`.
   */
  readonly endpoint: string;
  /** `OTEL_EXPORTER_OTLP_PROTOCOL` (or `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`). @default 'http/protobuf' */
  readonly protocol: OtlpProtocol;
  /** `OTEL_TRACES_SAMPLER`. @default 'parentbased_always_on' */
  readonly sampler: SamplerName;
  /** `OTEL_TRACES_SAMPLER_ARG`: the sampled share (0..1) of the `traceidratio` samplers. @default 1 */
  readonly samplerRatio: number;
}

const TRACES_PATH = '/v1/traces';

/**
 * Reads the OpenTelemetry variables (see {@link TracingConfig}); `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`
 * are read by the SDK itself.
 * @returns undefined when no endpoint is set, or `OTEL_SDK_DISABLED=true`, or `OTEL_TRACES_EXPORTER=none`
 */
export function readTracingConfig(env: EnvReader): TracingConfig | undefined {
  const disabled = env.boolean('OTEL_SDK_DISABLED', false);
  const exporter = env.oneOf('OTEL_TRACES_EXPORTER', ['otlp', 'none'], 'otlp');
  const tracesEndpoint = env.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', '');
  const baseEndpoint = env.url('OTEL_EXPORTER_OTLP_ENDPOINT', '');
  const protocol = env.oneOf('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', OTLP_PROTOCOLS, env.oneOf('OTEL_EXPORTER_OTLP_PROTOCOL', OTLP_PROTOCOLS, 'http/protobuf'));
  const sampler = env.oneOf('OTEL_TRACES_SAMPLER', SAMPLERS, 'parentbased_always_on');
  const samplerRatio = env.number('OTEL_TRACES_SAMPLER_ARG', { default: 1, min: 0, max: 1 });
  const endpoint = tracesEndpoint || (baseEndpoint && (protocol === 'grpc' ? baseEndpoint : `${baseEndpoint}${TRACES_PATH}`));
  if (disabled || exporter === 'none' || !endpoint) return undefined;
  return { endpoint, protocol, sampler, samplerRatio };
}
