/**
 * The request metrics every service exposes, defined once: their names, labels and latency buckets. The kit's
 * `RequestSeries` writes them and the platform's query builders (src/observability) read them, so a scrape target, a
 * recording rule, an alert, a dashboard panel and a KEDA trigger cannot name a metric or a label the services do not
 * produce. Plain data only: src/ imports this file without pulling in prom-client or Fastify.
 */

/** Counter of finished requests. */
export const REQUESTS_TOTAL = 'http_requests_total';

/** Histogram of request latency in seconds (`_bucket` with `le`, `_sum`, `_count`). */
export const REQUEST_DURATION_SECONDS = 'http_request_duration_seconds';

/**
 * Labels of both request metrics. `service` and `version` are set on every series of the app (its identity);
 * `method`, `route` (the route template, never the raw URL) and `status_code` (a number, e.g. "503": not `status`)
 * per request.
 */
export const REQUEST_LABELS = {
  service: 'service',
  version: 'version',
  method: 'method',
  route: 'route',
  statusCode: 'status_code',
} as const;

/** The histogram's bucket bound label. */
export const BUCKET_LABEL = 'le';

/** Latency buckets, seconds: a latency objective's threshold must be one of them (the rules read `le` exactly). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Path of the metrics endpoint on the service's port. */
export const METRICS_PATH = '/metrics';

/**
 * Process metrics of every service (prom-client's default metrics, `collectDefaultMetrics` in the kit's `HttpMetrics`),
 * labelled with `service` and `version` like the request metrics: the dashboards' saturation panels read them.
 */
export const PROCESS_METRICS = {
  /** Counter of CPU seconds used (user + system). */
  cpuSecondsTotal: 'process_cpu_seconds_total',
  /** Gauge of resident memory, bytes. */
  residentMemoryBytes: 'process_resident_memory_bytes',
  /** Gauge of the event loop's lag, seconds. */
  eventLoopLagSeconds: 'nodejs_eventloop_lag_seconds',
} as const;
