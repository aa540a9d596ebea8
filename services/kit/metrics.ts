import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PROBE_LOG_LEVEL } from './health';

/** Labels of the request metrics. */
type Labels = { method: string; route: string; status_code: number };

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
 * Request count (`http_requests_total`) and latency (`http_request_duration_seconds`) by method, route template
 * (`/users/:id`, never the raw URL) and status code, in a registry of their own (one per app).
 */
export class HttpMetrics {
  /** Holds every metric of the app; served by `GET /metrics`. */
  readonly registry = new Registry();
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  // prom-client hashes the label object on every call. Per label set, the request count is a plain number copied into
  // the counter when Prometheus scrapes, so a request pays for one hash (the histogram's), not two.
  private readonly series = new Map<string, { labels: Labels; count: number; latency: { observe(value: number): void } }>();

  /** @param options identity labels and whether to add process metrics */
  constructor(options: MetricsOptions) {
    this.registry.setDefaultLabels({ service: options.service, version: options.version });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const labelNames = ['method', 'route', 'status_code'] as const;
    const series = this.series;
    new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by method, route and status code.',
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels, count } of series.values()) this.inc(labels, count);
      },
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency in seconds, from request received to response sent.',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  /**
   * Records one finished request.
   * @param route the route template, or undefined when no route matched
   */
  observe(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    const key = `${method} ${statusCode} ${route ?? ''}`;
    let entry = this.series.get(key);
    if (entry === undefined) {
      const labels = { method, route: route ?? UNMATCHED_ROUTE, status_code: statusCode };
      entry = { labels, count: 0, latency: this.duration.labels(labels) };
      this.series.set(key, entry);
    }
    entry.count += 1;
    entry.latency.observe(seconds);
  }
}

/** `GET /metrics`: the Prometheus text format of the app's registry. */
export function registerMetricsRoute(app: FastifyInstance, metrics: HttpMetrics): void {
  app.get('/metrics', { logLevel: PROBE_LOG_LEVEL }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
