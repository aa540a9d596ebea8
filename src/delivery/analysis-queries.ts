/**
 * The PromQL of a progressive service's canary analysis (Flagger MetricTemplates), built on the query module so that
 * metric and label names are written once. Each query returns one value for the canary workload only:
 * - `mesh`: Istio's standard metrics with the labels of the environment's data plane, resolved here and nowhere else.
 *   Sidecars report `reporter="destination"`; in ambient mode the waypoint reports `reporter="waypoint"` and carries
 *   no `destination_version`, so the canary is selected by `destination_workload` (its Deployment's name; the
 *   primary's is `<name>-primary`). Flagger's built-in checks hard-code `reporter="destination"`, which ambient never
 *   produces, and Flagger counts "no values" as a failed check: a healthy canary would be rolled back.
 * - `app`: the services' own metrics, with the `app` pod label the PodMonitors copy: Flagger rewrites it to
 *   `<name>-primary` on the primary's pods, while `service` and `version` are the same on both.
 * A ratio's numerator falls back to 0 when no request failed (a series that never existed returns no values).
 */
import { REQUEST_DURATION_SECONDS, REQUESTS_TOTAL } from '../../services/kit/metric-vocabulary';
import { queryTarget, seriesSelector, sumBy, type Matcher, type QueryTarget } from '../observability/queries';
import type { MeshModes } from '../description/modes';
import { WORKLOAD_LABEL } from '../description/names/labels';
import { type PlatformIdentity } from '../description/names/workloads';
import type { AnalysisSource } from '../description/delivery-schema';
import type { ServiceSpec } from '../description/types';

/** Istio's request counter and duration histogram (milliseconds). */
export const ISTIO_REQUESTS_TOTAL = 'istio_requests_total';
export const ISTIO_REQUEST_DURATION_MS = 'istio_request_duration_milliseconds';

/** The reporter whose series describe requests arriving at a workload, per data plane. */
export const MESH_REPORTER: Readonly<Record<MeshModes['dataPlane'], string>> = { sidecar: 'destination', ambient: 'waypoint' };

/** What one analysis query reads, and the unit of its value. */
interface Source {
  /** Request counter, its 5xx matcher, and the duration histogram's base name. */
  readonly requests: string;
  readonly serverError: Matcher;
  readonly duration: string;
  /** Matchers of the canary workload's series. */
  readonly canary: readonly Matcher[];
  /** What one unit of the histogram is in milliseconds. */
  readonly msPerUnit: number;
  /** The QueryTarget the selectors are built from (the `app` source's service labels; none for `mesh`). */
  readonly target: QueryTarget;
}

function source(platform: PlatformIdentity & { readonly mesh: MeshModes }, service: ServiceSpec, kind: AnalysisSource, canaryWorkload: string): Source {
  if (kind === 'app') {
    return {
      requests: REQUESTS_TOTAL,
      serverError: { label: 'status_code', op: '=~', value: '5..' },
      duration: REQUEST_DURATION_SECONDS,
      canary: [{ label: WORKLOAD_LABEL, op: '=', value: canaryWorkload }],
      msPerUnit: 1000,
      target: queryTarget(platform, service),
    };
  }
  return {
    requests: ISTIO_REQUESTS_TOTAL,
    serverError: { label: 'response_code', op: '=~', value: '5..' },
    duration: ISTIO_REQUEST_DURATION_MS,
    canary: [
      { label: 'reporter', op: '=', value: MESH_REPORTER[platform.mesh.dataPlane] },
      { label: 'destination_workload_namespace', op: '=', value: platform.namespace },
      { label: 'destination_workload', op: '=', value: canaryWorkload },
    ],
    msPerUnit: 1,
    target: { namespace: platform.namespace, service: service.name },
  };
}

/** `metric{…}` of the canary: through the query module for the app's series, Istio's labels alone for the mesh's. */
function selector(src: Source, metric: string, extra: readonly Matcher[] = []): string {
  if (src.requests === REQUESTS_TOTAL) return seriesSelector(metric, src.target, [...src.canary, ...extra]);
  const matchers = [...src.canary, ...extra];
  return `${metric}{${matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(',')}}`;
}

/** The analysis queries of one progressive service. */
export interface AnalysisQueries {
  /** Percent of the canary's requests answered without a 5xx over `window`. */
  readonly successRate: string;
  /** The SLO's latency percentile of the canary's requests over `window`, in milliseconds. */
  readonly latencyMs: string;
}

/** Success rate and latency of the canary workload over `window`, from the chosen source. */
export function analysisQueries(
  platform: PlatformIdentity & { readonly mesh: MeshModes }, service: ServiceSpec, kind: AnalysisSource, canaryWorkload: string, window: string,
): AnalysisQueries {
  const src = source(platform, service, kind, canaryWorkload);
  const errors = `sum(rate(${selector(src, src.requests, [src.serverError])}[${window}]))`;
  const all = `sum(rate(${selector(src, src.requests)}[${window}]))`;
  const buckets = sumBy(['le'], `rate(${selector(src, `${src.duration}_bucket`)}[${window}])`);
  const quantile = `histogram_quantile(${service.slo.latency.percentile / 100}, ${buckets})`;
  return {
    successRate: `100 * (1 - ((${errors} or vector(0)) / ${all}))`,
    latencyMs: src.msPerUnit === 1 ? quantile : `${src.msPerUnit} * ${quantile}`,
  };
}

/** The alerts of a service's SLOs (its PrometheusRule) that roll a canary back while firing. */
export const ROLLBACK_ALERTS = ['ErrorBudgetBurn', 'LatencyObjectiveMissed'] as const;

/** How many of the service's SLO alerts fire (0 when none: `ALERTS` has no series then). */
export function firingSloAlerts(platform: PlatformIdentity, service: string): string {
  const matchers = `alertname=~"${ROLLBACK_ALERTS.join('|')}",alertstate="firing",namespace=${JSON.stringify(platform.namespace)},service=${JSON.stringify(service)}`;
  return `count(ALERTS{${matchers}}) or vector(0)`;
}
