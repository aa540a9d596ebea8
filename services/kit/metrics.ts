import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PROBE_LOG_LEVEL } from './health';

/** Identity added as labels to every metric. */
export interface MetricsOptions {
  /** Service name, label `service`. */
  readonly service: string;
  /** Running version, label `version` (lets dashboards compare a canary with the stable version). */
  readonly version: string;
  /** Also export Node.js process metrics (CPU, memory, event-loop lag, GC). @default true */
  readonly processMetrics?: boolean;
}

/** Label of requests that matched no route, so random paths cannot explode the label cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts and times every request by method, route template (`/users/:id`, never the raw URL) and status, and serves
 * them with `GET /metrics` in the Prometheus text format. Each app gets its own registry.
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service, version: options.version });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route and status code.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency in seconds, from request received to response sent.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status_code: reply.statusCode,
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { logLevel: PROBE_LOG_LEVEL }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
