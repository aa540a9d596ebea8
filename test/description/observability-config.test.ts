/** The observability description: SLOs over the environment's defaults, and its errors (environment, field, problem, fix). */
import { environments } from '../../src/config/environments';
import { platform } from '../../src/config/platform';
import { ENVIRONMENTS, PlatformConfigError, resolvePlatformSpec, type EnvironmentOverrides, type PlatformDescription } from '../../src/description';
import { LATENCY_BUCKETS_MS } from '../../src/description/observability-rules';
import { TEST_IMAGES } from '../support/platform';

function resolve(overrides: EnvironmentOverrides, description: PlatformDescription = platform) {
  return resolvePlatformSpec({ description, environment: 'staging', overrides, images: TEST_IMAGES });
}

function messageOf(overrides: EnvironmentOverrides): string {
  try {
    resolve(overrides);
  } catch (error) {
    if (error instanceof PlatformConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a PlatformConfigError');
}

test('a service\'s SLO takes its own fields over the environment\'s defaults, field by field', () => {
  const spec = resolve({
    slo: { availabilityPercent: 99.5, latency: { thresholdMs: 250 } },
    services: { 'payment-service': { slo: { latency: { percentile: 95 } } } },
  });
  const slo = (name: string) => spec.services.find((s) => s.name === name)!.slo;
  expect(slo('payment-service')).toEqual({ availabilityPercent: 99.5, latency: { percentile: 95, thresholdMs: 250 } });
  expect(slo('user-service')).toEqual({ availabilityPercent: 99.5, latency: { percentile: 99, thresholdMs: 250 } });
});

test.each<[string, EnvironmentOverrides, string]>([
  ['a latency threshold between two buckets, naming the buckets', { services: { 'order-service': { slo: { latency: { thresholdMs: 300 } } } } },
    `platform config (environment staging): services.order-service.slo.latency.thresholdMs: 300 ms falls between the buckets 250 and 500 of the services' latency histogram, so no query can count the requests under it (buckets, ms: ${LATENCY_BUCKETS_MS.join(', ')}); fix: use a bucket, e.g. 250 or 500, or add 0.3 to LATENCY_BUCKETS in services/kit/metric-vocabulary.ts`],
  ['an environment default between buckets, reported once at the default', { slo: { latency: { thresholdMs: 750 } } },
    'platform config (environment staging): slo.latency.thresholdMs: 750 ms falls between the buckets 500 and 1000'],
  ['an objective too low for the fastest page to ever fire', { services: { 'user-service': { slo: { availabilityPercent: 90 } } } },
    'services.user-service.slo.availabilityPercent: an objective of 90% leaves an error budget of 10%, so the fastest page (burn rate 14.4) would need an error ratio above 100% and could never fire; fix: set availabilityPercent to 93.06 or more'],
  ['an objective of 100%', { slo: { availabilityPercent: 100 } },
    'slo.availabilityPercent: must be below 100 (100% leaves no error budget to alert on)'],
  ['scaling on requests per second without a Prometheus', { observability: { prometheus: undefined, alerting: undefined }, services: { 'user-service': { autoscaling: { requestsPerSecond: 30 } } } },
    'services.user-service.autoscaling.requestsPerSecond: scaling on requests per second reads the request rate from Prometheus, and this environment names none; fix: set observability.prometheus (e.g. {}), or remove autoscaling.requestsPerSecond to scale on CPU and memory'],
  ['alert routing without a Prometheus', { observability: { alerting: {} } },
    'observability.alerting: alert routing needs the Prometheus that evaluates the alerts; fix: set observability.prometheus (e.g. {}), or remove observability.alerting'],
  ['the former monitoring block', { monitoring: {} } as unknown as EnvironmentOverrides,
    'unknown field "monitoring"'],
  ['a tracing protocol Istio and the SDK do not speak', { observability: { tracing: { backend: { host: 'jaeger.tracing', protocol: 'http/json' } } } } as unknown as EnvironmentOverrides,
    'observability.tracing.backend.protocol: expected one of "grpc", "http/protobuf", got the string "http/json"'],
])('%s', (_, overrides, message) => {
  expect(messageOf(overrides)).toContain(message);
});

test('every shipped environment configures scraping, rules, alert routing and a trace backend', () => {
  for (const environment of ENVIRONMENTS) {
    const spec = resolvePlatformSpec({ description: platform, environment, overrides: environments[environment], images: TEST_IMAGES });
    expect(spec.observability.prometheus).toBeDefined();
    expect(spec.observability.alerting).toBeDefined();
    expect(spec.observability.tracing.backend).toBeDefined();
  }
});
