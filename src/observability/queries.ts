/**
 * Every PromQL expression the platform generates, built in one place from the services' metric vocabulary
 * (services/kit/metric-vocabulary.ts): the request rate, the error ratio, latency quantiles and the share of slow
 * requests per version, the names of the recording rules that precompute them, the burn-rate conditions of the SLO
 * alerts, the target-down condition and the request rate a KEDA trigger scales on. Recording rules, alerts,
 * dashboards and triggers all call these builders, so a metric or label name is written once.
 *
 * Requests are those the service answers for its callers: the probe and metrics routes are left out, so kubelet
 * probes and scrapes neither inflate the rate nor dilute the error ratio.
 */
import {
  BUCKET_LABEL, METRICS_PATH, PROCESS_METRICS, REQUEST_DURATION_SECONDS, REQUEST_LABELS, REQUESTS_TOTAL,
} from '../../services/kit/metric-vocabulary';
import { WORKLOAD_LABEL } from '../description/names/labels';
import { primaryName, type PlatformIdentity } from '../description/names/workloads';
import type { ServiceSpec } from '../description/types';
import { ALERT_WINDOWS } from './burn-rates';

/** Which series a query reads: one service of one namespace, optionally one version. */
export interface QueryTarget {
  /** Namespace of the service's pods (the target label the Prometheus Operator sets). */
  readonly namespace: string;
  /** Service name (the app's `service` label). */
  readonly service: string;
  /** One version only (the app's `version` label). @default every version */
  readonly version?: string;
  /** Route templates left out of the request counts (probes, metrics). @default none */
  readonly excludedRoutes?: readonly string[];
  /**
   * The `app` pod label values of the service's pods (the PodMonitors copy it): under progressive delivery also
   * Flagger's `<name>-primary`. @default the service name
   */
  readonly apps?: readonly string[];
  /** Matchers on the pod labels the PodMonitors copy, e.g. one Flagger workload's `app`. @default none */
  readonly pods?: readonly Matcher[];
}

/** The target of a service of the platform: its namespace, its name, its probe and metrics routes left out. */
export function queryTarget(platform: PlatformIdentity, service: Pick<ServiceSpec, 'name' | 'health'> & { readonly delivery?: ServiceSpec['delivery'] }, version?: string): QueryTarget {
  const excludedRoutes = [...new Set([service.health.liveness, service.health.readiness, METRICS_PATH])];
  const apps = service.delivery?.mode === 'progressive' ? { apps: [service.name, primaryName(service.name)] } : {};
  return { namespace: platform.namespace, service: service.name, version, excludedRoutes, ...apps };
}

/** Labels every per-version series of the platform is aggregated by (and recording rules keep). */
export const VERSION_LABELS = ['namespace', REQUEST_LABELS.service, REQUEST_LABELS.version] as const;

/**
 * Labels a per-workload series is aggregated by: Flagger's primary and canary of a progressive service, whose pods
 * share `service` and `version` and differ in the pod label the PodMonitors copy as {@link WORKLOAD_LABEL}.
 */
export const WORKLOAD_LABELS = ['namespace', REQUEST_LABELS.service, WORKLOAD_LABEL] as const;

/** Labels of a per-service aggregate (all versions together). */
export const SERVICE_LABELS = ['namespace', REQUEST_LABELS.service] as const;

/** A PromQL string literal. PromQL strings take Go's escapes, which JSON's are a subset of. */
const literal = (value: string) => JSON.stringify(value);

/** Escapes a string for use inside a PromQL (RE2) regular expression. */
const regexEscape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One label matcher. */
export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

const matcherText = (m: Matcher) => `${m.label}${m.op}${literal(m.value)}`;

/**
 * The matchers of a target, written once per target object: a service's rules and dashboards select its series in
 * hundreds of queries, and escaping them anew for each was about a tenth of building the chart.
 */
const targetMatchers = new WeakMap<QueryTarget, string>();

/** `metric{label="value",…}` for a target, plus extra matchers. */
export function seriesSelector(metric: string, target: QueryTarget, extra: readonly Matcher[] = []): string {
  let matchers = targetMatchers.get(target);
  if (matchers === undefined) {
    matchers = [
      { label: 'namespace', op: '=' as const, value: target.namespace },
      { label: REQUEST_LABELS.service, op: '=' as const, value: target.service },
      ...(target.version === undefined ? [] : [{ label: REQUEST_LABELS.version, op: '=' as const, value: target.version }]),
      ...(target.excludedRoutes?.length ? [{ label: REQUEST_LABELS.route, op: '!~' as const, value: target.excludedRoutes.map(regexEscape).join('|') }] : []),
      ...(target.pods ?? []),
    ].map(matcherText).join(',');
    targetMatchers.set(target, matchers);
  }
  return `${metric}{${[matchers, ...extra.map(matcherText)].join(',')}}`;
}

/** Matches a 5xx answer (the label is `status_code`, a number: never `status`). */
/** The matcher of server errors (5xx) on the request series. */
export const SERVER_ERROR: Matcher = { label: REQUEST_LABELS.statusCode, op: '=~', value: '5..' };

/**
 * Matches the histogram bucket of an upper bound. Prometheus 3 normalizes `le` of classic histograms at ingestion
 * (`1` becomes `1.0`), Prometheus 2 keeps the exposition's text; whole numbers match either way.
 */
function bucketMatcher(upperBoundSeconds: number): Matcher {
  const text = String(upperBoundSeconds);
  return Number.isInteger(upperBoundSeconds)
    ? { label: BUCKET_LABEL, op: '=~', value: `${text}(\\.0)?` }
    : { label: BUCKET_LABEL, op: '=', value: text };
}

export const sumBy = (labels: readonly string[], expression: string) => `sum by (${labels.join(', ')}) (${expression})`;

/** Requests per second over `window`, summed by `by` (per version by default). */
export function requestRate(target: QueryTarget, window: string, by: readonly string[] = VERSION_LABELS): string {
  return sumBy(by, `rate(${seriesSelector(REQUESTS_TOTAL, target)}[${window}])`);
}

/** Share of requests answered with a 5xx over `window` (0 to 1), per version by default. */
export function errorRatio(target: QueryTarget, window: string, by: readonly string[] = VERSION_LABELS): string {
  return `${serverErrorRate(target, window, by)} / ${requestRate(target, window, by)}`;
}

/** 5xx answers per second over `window`, summed by `by` (per version by default). */
export const serverErrorRate = (target: QueryTarget, window: string, by: readonly string[] = VERSION_LABELS) =>
  sumBy(by, `rate(${seriesSelector(REQUESTS_TOTAL, target, [SERVER_ERROR])}[${window}])`);

/** The `quantile` (0 to 1, e.g. 0.99) of request latency in seconds over `window`, per version by default. */
export function latencyQuantile(target: QueryTarget, quantile: number, window: string, by: readonly string[] = VERSION_LABELS): string {
  const buckets = sumBy([...by, BUCKET_LABEL], `rate(${seriesSelector(`${REQUEST_DURATION_SECONDS}_bucket`, target)}[${window}])`);
  return `histogram_quantile(${quantile}, ${buckets})`;
}

/**
 * Share of requests slower than `thresholdSeconds` (a bucket bound) over `window`, per version by default: exact,
 * unlike a quantile interpolated inside a bucket.
 */
export function slowRatio(target: QueryTarget, thresholdSeconds: number, window: string, by: readonly string[] = VERSION_LABELS): string {
  const fast = sumBy(by, `rate(${seriesSelector(`${REQUEST_DURATION_SECONDS}_bucket`, target, [bucketMatcher(thresholdSeconds)])}[${window}])`);
  const all = sumBy(by, `rate(${seriesSelector(`${REQUEST_DURATION_SECONDS}_count`, target)}[${window}])`);
  return `1 - (${fast} / ${all})`;
}

/**
 * Like {@link errorRatio}, but 0 rather than no value where the requests had no 5xx at all (the error counter of a
 * status code exists only once it was answered): what a dashboard shows, so a healthy canary is a line at 0.
 */
export function errorRatioOrZero(target: QueryTarget, window: string, by: readonly string[] = VERSION_LABELS): string {
  const requests = requestRate(target, window, by);
  return `(${serverErrorRate(target, window, by)} or ${requests} * 0) / ${requests}`;
}

/** Each version's (or, by `by`, each workload's) share of the service's requests over `window` (0 to 1): the traffic split as observed. */
export function trafficShare(target: QueryTarget, window: string, by: readonly string[] = VERSION_LABELS): string {
  return `${requestRate(target, window, by)} / on (${SERVICE_LABELS.join(', ')}) group_left ${requestRate(target, window, SERVICE_LABELS)}`;
}

/** A process metric of the target's pods (no route: the process metrics have none). */
const processSeries = (metric: string, target: QueryTarget) => seriesSelector(metric, { ...target, excludedRoutes: undefined });

/** The highest value among the pods of each group of `by` (each version by default). */
const busiestPod = (expression: string, by: readonly string[]) => `max by (${by.join(', ')}) (${expression})`;

/** CPU cores used by the busiest pod of each version (or group of `by`). */
export function cpuCoresPerPod(target: QueryTarget, window: string, by: readonly string[] = VERSION_LABELS): string {
  return busiestPod(`rate(${processSeries(PROCESS_METRICS.cpuSecondsTotal, target)}[${window}])`, by);
}

/** Resident memory in bytes of the largest pod of each version (or group of `by`). */
export function residentMemoryPerPod(target: QueryTarget, by: readonly string[] = VERSION_LABELS): string {
  return busiestPod(processSeries(PROCESS_METRICS.residentMemoryBytes, target), by);
}

/** Event-loop lag in seconds of the most lagging pod of each version (or group of `by`). */
export function eventLoopLagPerPod(target: QueryTarget, by: readonly string[] = VERSION_LABELS): string {
  return busiestPod(processSeries(PROCESS_METRICS.eventLoopLagSeconds, target), by);
}

/** The request rate a KEDA Prometheus trigger scales one version on (its pods share it; KEDA divides by replicas). */
export function scalingRequestRate(target: QueryTarget & { readonly version: string }): string {
  return `sum(rate(${seriesSelector(REQUESTS_TOTAL, target)}[2m]))`;
}

/**
 * Scrape targets of the service (all versions, or one) that are up, as the Prometheus Operator labels them: `up` with
 * the pod labels the PodMonitors copy (`app`, `version`) in the service's namespace.
 */
export function targetsUp(target: QueryTarget): string {
  const matchers = [
    `namespace=${literal(target.namespace)}`,
    target.apps ? `${WORKLOAD_LABEL}=~${literal(target.apps.map(regexEscape).join('|'))}` : `${WORKLOAD_LABEL}=${literal(target.service)}`,
    ...(target.version === undefined ? [] : [`version=${literal(target.version)}`]),
  ];
  return `up{${matchers.join(',')}}`;
}

/**
 * True (1, without labels) when no scrape target of the service (or version) is up: all down, or none left at all
 * (then `sum` is empty and `vector(0)` stands in, so one expression covers both, unlike `absent`, whose labels would
 * depend on which case fired).
 */
export function targetsDown(target: QueryTarget): string {
  return `(sum(${targetsUp(target)}) or vector(0)) == 0`;
}

// --- Recording rules: names and the expressions that read them -------------------------------------------------

/** The recorded series of the platform, per version; each name ends in its window. */
export const RECORDED = {
  /** Requests per second. */
  requestRate: (window: string) => `service_version:${REQUESTS_TOTAL}:rate${window}`,
  /** 5xx answers per second (recorded over {@link BUDGET_RATE_WINDOW} only: the error budget's count). */
  errorRate: (window: string) => `service_version:${REQUESTS_TOTAL}_errors:rate${window}`,
  /** Share of requests answered with a 5xx. */
  errorRatio: (window: string) => `service_version:${REQUESTS_TOTAL}_errors:ratio_rate${window}`,
  /** Share of requests slower than the latency objective's threshold. */
  slowRatio: (window: string) => `service_version:${REQUESTS_TOTAL}_slow:ratio_rate${window}`,
  /** Latency quantiles in seconds, one series per `quantile` label. */
  latency: (window: string) => `service_version:${REQUEST_DURATION_SECONDS}:quantile_rate${window}`,
} as const;

/** The latency quantiles recorded (and shown side by side per version): p50, p95, p99. */
export const RECORDED_QUANTILES = [0.5, 0.95, 0.99] as const;

/** Selects a recorded series of the target, e.g. `service_version:http_requests_total:rate5m{namespace="shop",service="order-service"}`. */
export function recorded(name: string, target: QueryTarget, extra: Readonly<Record<string, string>> = {}): string {
  const matchers = [
    `namespace=${literal(target.namespace)}`,
    `${REQUEST_LABELS.service}=${literal(target.service)}`,
    ...(target.version === undefined ? [] : [`${REQUEST_LABELS.version}=${literal(target.version)}`]),
    ...Object.entries(extra).map(([label, value]) => `${label}=${literal(value)}`),
  ];
  return `${name}{${matchers.join(',')}}`;
}

/** A ratio threshold as PromQL writes it, without floating-point noise (14.4 × 0.001 = 0.0144). */
export function threshold(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** The window of the recorded rates the error budget is counted from: the shortest the rules record (5m). */
export const BUDGET_RATE_WINDOW = ALERT_WINDOWS[0];

/** A recorded per-version rate of the target summed over `window`, per service: proportional to what it counts. */
const recordedOverTime = (name: string, target: QueryTarget, window: string) =>
  sumBy(SERVICE_LABELS, `sum_over_time(${recorded(name, target)}[${window}])`);

/**
 * Share of the error budget left over `window` (1 = untouched, 0 = spent, below 0 = overspent): 1 − (5xx ÷ requests
 * over the window) ÷ `budget`, for the whole service, 0 5xx where none was recorded.
 *
 * Counted from the per-version rates the rules record over {@link BUDGET_RATE_WINDOW}, not from the raw counters:
 * summed over the window, each recorded rate is its count times the same factor (its window ÷ the evaluation
 * interval), which cancels in the ratio. So 30 days cost one sample per evaluation and version, where `rate(…[30d])`
 * would read every scrape of every route, status code and pod of the service, on every refresh of the panel.
 * @param budget the error budget as a ratio (1 − objective), e.g. 0.001
 * @param window the SLO window, e.g. "30d"
 */
export function errorBudgetRemaining(target: QueryTarget, budget: number, window: string): string {
  const requests = recordedOverTime(RECORDED.requestRate(BUDGET_RATE_WINDOW), target, window);
  const errors = recordedOverTime(RECORDED.errorRate(BUDGET_RATE_WINDOW), target, window);
  return `1 - ((${errors} or ${requests} * 0) / ${requests}) / ${threshold(budget)}`;
}

/**
 * The multiwindow burn-rate condition: the recorded error ratio of both windows above `factor` × the error budget.
 * @param budget the error budget as a ratio (1 − objective), e.g. 0.001
 */
export function burnRateCondition(target: QueryTarget, window: { readonly long: string; readonly short: string; readonly factor: number }, budget: number): string {
  const limit = threshold(window.factor * budget);
  return `${recorded(RECORDED.errorRatio(window.long), target)} > ${limit}\nand\n${recorded(RECORDED.errorRatio(window.short), target)} > ${limit}`;
}

/**
 * The latency objective's condition: more than (100 − percentile)% of requests slower than the threshold, over both a
 * long and a short window (the short one ends the alert soon after a recovery).
 */
export function latencyCondition(target: QueryTarget, percentile: number, windows: { readonly long: string; readonly short: string }): string {
  const limit = threshold((100 - percentile) / 100);
  return `${recorded(RECORDED.slowRatio(windows.long), target)} > ${limit}\nand\n${recorded(RECORDED.slowRatio(windows.short), target)} > ${limit}`;
}

// --- Kubernetes object state (kube-state-metrics) ---------------------------------------------------------------

/**
 * The kube-state-metrics series the dashboards read, and their object labels: the one place that knows them. They
 * exist only where kube-state-metrics runs and Prometheus scrapes it with `honorLabels` (kube-prometheus-stack does),
 * so that `namespace` is the object's namespace, not kube-state-metrics' own.
 */
export const KUBE_STATE_METRICS = {
  /** Pods of a Deployment (label {@link KUBE_STATE_METRICS.deploymentLabel}). */
  deploymentReplicas: 'kube_deployment_status_replicas',
  /** Lower bound of a HorizontalPodAutoscaler (label {@link KUBE_STATE_METRICS.autoscalerLabel}). */
  autoscalerMinReplicas: 'kube_horizontalpodautoscaler_spec_min_replicas',
  /** Upper bound of a HorizontalPodAutoscaler. */
  autoscalerMaxReplicas: 'kube_horizontalpodautoscaler_spec_max_replicas',
  deploymentLabel: 'deployment',
  autoscalerLabel: 'horizontalpodautoscaler',
} as const;

/** `max(metric{namespace="…",<label>="…"})`: one series whatever the number of kube-state-metrics replicas. */
const objectState = (metric: string, namespace: string, label: string, name: string) =>
  `max(${metric}{namespace=${literal(namespace)},${label}=${literal(name)}})`;

/** Current pods of a Deployment. */
export function deploymentReplicas(namespace: string, deployment: string): string {
  return objectState(KUBE_STATE_METRICS.deploymentReplicas, namespace, KUBE_STATE_METRICS.deploymentLabel, deployment);
}

/** The `min` or `max` replica bound of a HorizontalPodAutoscaler (KEDA's own HPA for a ScaledObject). */
export function autoscalerBound(bound: 'min' | 'max', namespace: string, autoscaler: string): string {
  const metric = bound === 'min' ? KUBE_STATE_METRICS.autoscalerMinReplicas : KUBE_STATE_METRICS.autoscalerMaxReplicas;
  return objectState(metric, namespace, KUBE_STATE_METRICS.autoscalerLabel, autoscaler);
}
