/**
 * Request metrics kept as plain numbers per label set, turned into Prometheus metrics only when scraped.
 * prom-client's Counter and Histogram validate and hash the label object on every call, which measured as the largest
 * part of the kit's per-request cost (README.md, "Sample services", Benchmark); here a request costs one Map lookup
 * and a few additions, and prom-client still formats the exposition.
 */
import type { MetricValue, MetricValueWithName, Registry } from 'prom-client';
import { LATENCY_BUCKETS, REQUEST_DURATION_SECONDS, REQUESTS_TOTAL } from './metric-vocabulary';

/** Labels of the request metrics. */
export type RequestLabels = { readonly method: string; readonly route: string; readonly status_code: number };

/** Count, latency sum and per-bucket counts (not cumulative) of one label set. */
interface Series {
  readonly labels: RequestLabels;
  count: number;
  sum: number;
  readonly buckets: number[];
}

/** The metrics' shape as prom-client's registry reads it (`get` at scrape, `reset` on `resetMetrics`). */
interface ScrapedMetric<T extends 'counter' | 'histogram'> {
  readonly name: string;
  readonly help: string;
  readonly type: T;
  readonly aggregator: 'sum';
  get(): Promise<{ readonly name: string; readonly help: string; readonly type: T; readonly aggregator: 'sum'; readonly values: (MetricValue<string> | MetricValueWithName<string>)[] }>;
  reset(): void;
}

/** `http_requests_total` and `http_request_duration_seconds`, registered in `registry`. */
export class RequestSeries {
  /**
   * Series by route template, then by method and status (a route has a handful). Route templates come from route
   * definitions, so their hashes are cached and a lookup builds no string.
   */
  private readonly byRoute = new Map<string, Series[]>();

  constructor(registry: Registry) {
    const all = () => [...this.byRoute.values()].flat();
    const counter: ScrapedMetric<'counter'> = {
      name: REQUESTS_TOTAL,
      help: 'HTTP requests served, by method, route and status code.',
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({ ...counter, values: all().map(({ labels, count }) => ({ labels, value: count })) }),
      reset: () => this.byRoute.clear(),
    };
    const histogram: ScrapedMetric<'histogram'> = {
      name: REQUEST_DURATION_SECONDS,
      help: 'HTTP request latency in seconds, from request received to response sent.',
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({ ...histogram, values: all().flatMap((series) => histogramValues(histogram.name, series)) }),
      reset: () => this.byRoute.clear(),
    };
    // The registry only calls name, help, type, aggregator, get() and reset() of a metric.
    registry.registerMetric(counter as never);
    registry.registerMetric(histogram as never);
  }

  /** Records one finished request. */
  observe(method: string, route: string, statusCode: number, seconds: number): void {
    let routeSeries = this.byRoute.get(route);
    if (routeSeries === undefined) {
      routeSeries = [];
      this.byRoute.set(route, routeSeries);
    }
    let series = routeSeries.find(({ labels }) => labels.status_code === statusCode && labels.method === method);
    if (series === undefined) {
      series = { labels: { method, route, status_code: statusCode }, count: 0, sum: 0, buckets: LATENCY_BUCKETS.map(() => 0) };
      routeSeries.push(series);
    }
    series.count += 1;
    series.sum += seconds;
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]) bucket += 1;
    if (bucket < LATENCY_BUCKETS.length) series.buckets[bucket] += 1;
  }
}

/** Cumulative `_bucket` lines (with `le`), then `_sum` and `_count`, as Prometheus' text format wants them. */
function histogramValues(name: string, { labels, count, sum, buckets }: Series): MetricValueWithName<string>[] {
  let cumulative = 0;
  const bucketLines = LATENCY_BUCKETS.map((bound, i) => {
    cumulative += buckets[i];
    return { metricName: `${name}_bucket`, labels: { ...labels, le: bound }, value: cumulative };
  });
  return [
    ...bucketLines,
    { metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count },
    { metricName: `${name}_sum`, labels, value: sum },
    { metricName: `${name}_count`, labels, value: count },
  ];
}
