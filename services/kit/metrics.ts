import type { FastifyInstance } from 'fastify';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { PROBE_LOG_LEVEL } from './health';
import { METRICS_PATH, REQUEST_LABELS } from './metric-vocabulary';
import { RequestSeries } from './request-series';

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
  private readonly requests: RequestSeries;

  /** @param options identity labels and whether to add process metrics */
  constructor(options: MetricsOptions) {
    this.registry.setDefaultLabels({ [REQUEST_LABELS.service]: options.service, [REQUEST_LABELS.version]: options.version });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.requests = new RequestSeries(this.registry);
  }

  /**
   * Records one finished request.
   * @param route the route template, or undefined when no route matched
   */
  observe(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    this.requests.observe(method, route ?? UNMATCHED_ROUTE, statusCode, seconds);
  }
}

/** `GET /metrics`: the Prometheus text format of the app's registry. */
export function registerMetricsRoute(app: FastifyInstance, metrics: HttpMetrics): void {
  app.get(METRICS_PATH, { logLevel: PROBE_LOG_LEVEL }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
