/**
 * A metrics endpoint on 127.0.0.1 standing in for the Envoy proxies and pods kwok does not run: it serves, in
 * Prometheus' text format, the series a real data plane would report for a service's primary and canary workloads, at
 * the request rate, 5xx ratio and latency a test sets per workload. Counters grow with the time between scrapes, so
 * `rate()` over them returns the rate the test set.
 *
 * - `istio_requests_total` and `istio_request_duration_milliseconds` with Istio's standard labels: with sidecars both
 *   proxies report (`reporter="source"` at the caller, `reporter="destination"` at the workload); in ambient mode the
 *   waypoint reports `reporter="waypoint"` and, by Istio's proxy source, no known `destination_version`.
 * - The services' own `http_requests_total` and `http_request_duration_seconds` (services/kit/metric-vocabulary.ts),
 *   with the labels the PodMonitor's scrape adds (`namespace`, `app`), for the SLO rules and alerts.
 */
import { createServer, type Server } from 'node:http';
import { LATENCY_BUCKETS, REQUEST_DURATION_SECONDS, REQUEST_LABELS, REQUESTS_TOTAL } from '../../../services/kit/metric-vocabulary';
import { ISTIO_REQUEST_DURATION_MS, ISTIO_REQUESTS_TOTAL, MESH_REPORTER } from '../../../src/delivery/analysis-queries';
import { primaryName } from '../../../src/description/names/workloads';
import type { MeshModes } from '../../../src/description/modes';

/** What one workload's callers see. */
export interface Traffic {
  /** Requests per second. */
  readonly rps: number;
  /** Share of requests answered 503, 0 to 1. */
  readonly errorRatio: number;
  /** Every request's duration, milliseconds. */
  readonly latencyMs: number;
}

/** Healthy traffic: 20 requests per second, no error, 20 ms. */
export const HEALTHY: Traffic = { rps: 20, errorRatio: 0, latencyMs: 20 };

/** Istio's default buckets of `istio_request_duration_milliseconds`. */
const ISTIO_BUCKETS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** A workload of a progressive service: `<service>` is the canary's Deployment, `<service>-primary` the primary's. */
export interface Workload {
  readonly namespace: string;
  readonly service: string;
  readonly role: 'primary' | 'canary';
}

/** The data plane a namespace runs, and the version label its pods carry. */
export interface NamespaceMesh {
  readonly dataPlane: MeshModes['dataPlane'];
  readonly version: string;
}

type Labels = Readonly<Record<string, string>>;

/** One counter family per label set, plus a histogram. */
interface Series {
  readonly requests: Map<string, { labels: Labels; value: number }>;
  readonly durations: Map<string, { labels: Labels; buckets: number[]; sum: number; count: number; bounds: readonly number[] }>;
}

const format = (labels: Labels) => `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
const workloadName = (w: Workload) => (w.role === 'primary' ? primaryName(w.service) : w.service);

/** Istio's labels of requests reaching `w`, as `reporter` sees them (the values Istio takes from the pods' labels). */
function istioLabels(w: Workload, mesh: NamespaceMesh, reporter: string): Labels {
  const name = workloadName(w);
  const host = `${name}.${w.namespace}.svc.cluster.local`;
  return {
    reporter,
    source_workload: 'istio-ingressgateway', source_workload_namespace: 'istio-system', source_app: 'istio-ingressgateway',
    source_principal: 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway', source_cluster: 'Kubernetes',
    source_canonical_service: 'istio-ingressgateway', source_canonical_revision: 'latest', source_version: 'unknown',
    destination_workload: name, destination_workload_namespace: w.namespace, destination_app: name,
    destination_principal: `spiffe://cluster.local/ns/${w.namespace}/sa/${w.service}`, destination_cluster: 'Kubernetes',
    destination_service: host, destination_service_name: name, destination_service_namespace: w.namespace,
    destination_canonical_service: w.service, destination_canonical_revision: mesh.version,
    // The waypoint has no peer metadata of the destination pod's `version` label.
    destination_version: mesh.dataPlane === 'ambient' ? 'unknown' : mesh.version,
    request_protocol: 'http', response_flags: '-', grpc_response_status: '', connection_security_policy: reporter === 'source' ? 'unknown' : 'mutual_tls',
  };
}

/** The labels of the service's own metrics on `w`'s pods: the kit's identity labels plus the scrape's target labels. */
function appLabels(w: Workload, mesh: NamespaceMesh): Labels {
  return {
    namespace: w.namespace, app: workloadName(w), pod: `${workloadName(w)}-0`,
    [REQUEST_LABELS.service]: w.service, [REQUEST_LABELS.version]: mesh.version,
    [REQUEST_LABELS.method]: 'POST', [REQUEST_LABELS.route]: '/orders',
  };
}

/** The running exporter. */
export interface MeshExporter {
  /** `host:port`, the scrape target. */
  readonly target: string;
  /** Sets (or, with undefined, stops) the Istio traffic of a workload. */
  setMeshTraffic(workload: Workload, traffic: Traffic | undefined): void;
  /** Sets (or stops) the traffic the service's own metrics on a workload's pods report. */
  setAppTraffic(workload: Workload, traffic: Traffic | undefined): void;
  close(): Promise<void>;
}

/** Starts the exporter for the namespaces in `meshes` (namespace → its data plane and version). */
export async function startMeshExporter(meshes: Readonly<Record<string, NamespaceMesh>>): Promise<MeshExporter> {
  const mesh: Series = { requests: new Map(), durations: new Map() };
  const app: Series = { requests: new Map(), durations: new Map() };
  const traffic = new Map<string, { series: Series; labelSets: Labels[]; bounds: readonly number[]; msPerUnit: number; traffic: Traffic }>();
  let last = Date.now();

  /** Adds what flowed since the last scrape to every counter. */
  function advance(): void {
    const now = Date.now();
    const seconds = (now - last) / 1000;
    last = now;
    for (const { series, labelSets, bounds, msPerUnit, traffic: t } of traffic.values()) {
      const requests = t.rps * seconds;
      for (const labels of labelSets) {
        for (const [code, share] of [['200', 1 - t.errorRatio], ['503', t.errorRatio]] as const) {
          const codeLabel = labels.reporter ? 'response_code' : REQUEST_LABELS.statusCode;
          const full = { ...labels, [codeLabel]: code };
          const key = format(full);
          const counter = series.requests.get(key) ?? { labels: full, value: 0 };
          counter.value += requests * share;
          series.requests.set(key, counter);
        }
        const key = format(labels);
        const histogram = series.durations.get(key) ?? { labels, buckets: bounds.map(() => 0), sum: 0, count: 0, bounds };
        const value = t.latencyMs / msPerUnit;
        bounds.forEach((bound, index) => { if (value <= bound) histogram.buckets[index] += requests; });
        histogram.sum += value * requests;
        histogram.count += requests;
        series.durations.set(key, histogram);
      }
    }
  }

  function render(series: Series, counter: string, histogram: string): string[] {
    const lines = [`# TYPE ${counter} counter`];
    for (const { labels, value } of series.requests.values()) lines.push(`${counter}${format(labels)} ${value}`);
    lines.push(`# TYPE ${histogram} histogram`);
    for (const { labels, buckets, sum, count, bounds } of series.durations.values()) {
      bounds.forEach((bound, index) => lines.push(`${histogram}_bucket${format({ ...labels, le: String(bound) })} ${buckets[index]}`));
      lines.push(`${histogram}_bucket${format({ ...labels, le: '+Inf' })} ${count}`, `${histogram}_sum${format(labels)} ${sum}`, `${histogram}_count${format(labels)} ${count}`);
    }
    return lines;
  }

  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') return void response.writeHead(404).end();
    advance();
    const body = [...render(mesh, ISTIO_REQUESTS_TOTAL, ISTIO_REQUEST_DURATION_MS), ...render(app, REQUESTS_TOTAL, REQUEST_DURATION_SECONDS)];
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${body.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  const meshOf = (w: Workload) => {
    const found = meshes[w.namespace];
    if (!found) throw new Error(`the exporter knows no namespace ${w.namespace} (known: ${Object.keys(meshes).join(', ')})`);
    return found;
  };
  const set = (key: string, entry: Parameters<typeof traffic.set>[1] | undefined) => {
    advance();
    if (entry) traffic.set(key, entry);
    else traffic.delete(key);
  };
  return {
    target: `127.0.0.1:${port}`,
    setMeshTraffic(w, t) {
      const m = meshOf(w);
      const reporters = m.dataPlane === 'sidecar' ? ['source', MESH_REPORTER.sidecar] : [MESH_REPORTER.ambient];
      set(`mesh ${w.namespace}/${workloadName(w)}`, t && { series: mesh, labelSets: reporters.map((r) => istioLabels(w, m, r)), bounds: ISTIO_BUCKETS_MS, msPerUnit: 1, traffic: t });
    },
    setAppTraffic(w, t) {
      set(`app ${w.namespace}/${workloadName(w)}`, t && { series: app, labelSets: [appLabels(w, meshOf(w))], bounds: LATENCY_BUCKETS, msPerUnit: 1000, traffic: t });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
