import { ConfigError, EnvReader } from '../../../services/kit/config';
import { readTracingConfig } from '../../../services/kit/tracing/config';

/** The tracing configuration `env` gives, or the problems it has. */
function read(env: NodeJS.ProcessEnv): ReturnType<typeof readTracingConfig> | readonly string[] {
  const reader = new EnvReader(env);
  try {
    return reader.done(readTracingConfig(reader));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('tracing configuration from the OTEL_* variables', () => {
  it('is off without an endpoint, when the SDK is disabled, and with the exporter none', () => {
    expect(read({})).toBeUndefined();
    expect(read({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' })).toBeUndefined();
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('derives the traces URL as the specification says: /v1/traces over HTTP, the endpoint itself over gRPC', () => {
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      endpoint: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toMatchObject({
      endpoint: 'http://collector:4317',
      protocol: 'grpc',
    });
    expect(
      read({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/custom',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    ).toEqual({ endpoint: 'http://jaeger:4318/custom', protocol: 'http/json', sampler: 'parentbased_traceidratio', samplerRatio: 0.25 });
  });

  it('names every invalid variable, its value and the fix', () => {
    expect(
      read({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '10',
      }),
    ).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT="collector:4317": expected an absolute http:// or https:// URL (unset it)',
      'OTEL_EXPORTER_OTLP_PROTOCOL="thrift": expected one of http/protobuf, http/json, grpc (unset it to use the default http/protobuf)',
      'OTEL_TRACES_SAMPLER="sometimes": expected one of parentbased_always_on, parentbased_always_off, parentbased_traceidratio, always_on, always_off, traceidratio (unset it to use the default parentbased_always_on)',
      'OTEL_TRACES_SAMPLER_ARG="10": expected a number from 0 to 1 (unset it to use the default 1)',
    ]);
  });
});
