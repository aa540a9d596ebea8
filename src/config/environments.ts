/**
 * Environment overrides of the platform description: only what differs per environment.
 * A service is overridden by name; objects merge, arrays and values replace.
 */
import type { EnvironmentName, EnvironmentOverrides } from '../description/types';

/** The in-cluster OpenTelemetry collector every environment sends spans to (docs/observability.md). */
const traceBackend = { host: 'otel-collector.observability.svc.cluster.local', protocol: 'grpc' } as const;

const jwt = { issuer: 'https://auth.example.com/', jwksUri: 'https://auth.example.com/.well-known/jwks.json' };

export const environments: Readonly<Record<EnvironmentName, EnvironmentOverrides>> = {
  dev: {
    // Istio's recommended path for new meshes: ambient mode (ztunnel + a waypoint) with Gateway API routing. The
    // experimental channel's HTTPRoute retry gives idempotent requests the description's retries (docs/modes.md).
    mesh: { dataPlane: 'ambient', routing: 'gateway-api', gatewayApiChannel: 'experimental' },
    observability: { prometheus: {}, alerting: {}, tracing: { samplingPercent: 100, backend: traceBackend } },
    slo: { availabilityPercent: 99 },
    services: {
      // Delivered progressively (docs/delivery.md): one version, and Flagger steps traffic to a new image while the
      // SLOs hold. Dev because it is the environment the Pulumi e2e deploys and the one on ambient with the Gateway API,
      // where the analysis must read the waypoint's series; its ScaledObject (scaled on load instead of CPU and memory)
      // is the Canary's autoscalerRef. Staging and prod keep static weights.
      'order-service': {
        versions: [{ name: 'v2' }],
        canary: null,
        delivery: { mode: 'progressive', stepWeight: 20, maxWeight: 60, interval: '1m', threshold: 3 },
        autoscaling: { maxReplicas: 2, requestsPerSecond: 20 },
      },
      'user-service': { autoscaling: { maxReplicas: 2 } },
      'payment-service': { autoscaling: { maxReplicas: 2 } },
    },
  },
  staging: {
    networkPolicies: true,
    observability: { prometheus: {}, alerting: {}, tracing: { samplingPercent: 10, backend: traceBackend } },
    // The drill below fails 5% of payment-service's calls: a 5x burn of a 99% objective opens a ticket, not a page.
    slo: { availabilityPercent: 99 },
    jwt,
    // A managed server; each service's URL is Pulumi secret config (docs/database.md).
    postgres: { location: 'external', host: 'postgres.staging.example.com', port: 5432, cidrs: ['10.20.0.0/24'] },
    services: {
      // Dark launch: v2 gets no user traffic, only a mirrored copy of half of it (and requests pinned by x-canary).
      'order-service': { canary: { weights: { v1: 100, v2: 0 } }, traffic: { mirror: { version: 'v2', percentage: 50 } } },
      // Resilience drill (fault injection needs Istio routing): 10% of calls to payment-service are delayed and 5% fail,
      // to watch timeouts, retries and circuit breaking work.
      'payment-service': { traffic: { fault: { delay: { percentage: 10, fixedDelay: '1s' }, abort: { percentage: 5, httpStatus: 503 } } } },
    },
  },
  prod: {
    production: true,
    networkPolicies: true,
    observability: { prometheus: {}, alerting: { pageRepeatInterval: '30m' }, tracing: { samplingPercent: 1, backend: traceBackend } },
    slo: { availabilityPercent: 99.9 },
    jwt,
    gateway: { hosts: ['shop.example.com'], tlsCredentialName: 'shop-example-com-tls' },
    postgres: { location: 'external', host: 'postgres.shop.example.com', port: 5432, cidrs: ['10.30.0.0/24'] },
    services: {
      'user-service': { autoscaling: { minReplicas: 2, maxReplicas: 10 }, resources: { cpuLimit: '1', memoryLimit: '512Mi' } },
      'order-service': { autoscaling: { minReplicas: 2, maxReplicas: 10, requestsPerSecond: 50 }, resources: { cpuLimit: '1', memoryLimit: '512Mi' } },
      // No sandbox in production: payment-service refuses to start without its provider key.
      'payment-service': { autoscaling: { minReplicas: 2, maxReplicas: 6 }, config: { PAYMENT_PROVIDER_REQUIRED: 'true' } },
    },
  },
};
