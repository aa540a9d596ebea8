/**
 * A service's Prometheus rules, derived from its SLOs: recording rules (request rate, error ratio, share of slow
 * requests and latency quantiles per version over every alert window, and the 5xx rate over the shortest) and alerts
 * (multiwindow multi-burn-rate on the availability objective, the latency objective, targets down or gone). Plain data: the PrometheusRule construct, the
 * rules file for `promtool check rules` and the promtool unit tests (promtool-tests.ts) are all made from it.
 */
import { REQUEST_LABELS } from '../../services/kit/metric-vocabulary';
import type { PlatformSpec, ServiceSpec } from '../description/types';
import { dashboardUid } from '../description/names/observability';
import { ALERT_WINDOWS, BURN_RATE_WINDOWS, SLO_WINDOW_DAYS, errorBudget, type Severity } from './burn-rates';
import {
  BUDGET_RATE_WINDOW, RECORDED, RECORDED_QUANTILES, burnRateCondition, errorRatio, latencyCondition, latencyQuantile, queryTarget,
  requestRate, serverErrorRate, slowRatio, targetsDown, type QueryTarget,
} from './queries';

/** A recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** An alerting rule; its labels always carry severity, service, version (when one), namespace and environment. */
export interface AlertingRule {
  readonly alert: AlertName;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A Prometheus rule group. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly (RecordingRule | AlertingRule)[];
}

/** The alerts the platform generates; each has a runbook section of that name in docs/observability.md. */
export const ALERT_NAMES = ['ErrorBudgetBurn', 'LatencyObjectiveMissed', 'TargetDown'] as const;
/** One of {@link ALERT_NAMES}. */
export type AlertName = (typeof ALERT_NAMES)[number];

/** How long each alert's condition must hold before it fires. */
export const ALERT_FOR: Readonly<Record<Severity, string>> & { readonly latency: string; readonly targetDown: string } = {
  page: '2m', ticket: '15m', latency: '5m', targetDown: '5m',
};

/** The windows of the latency objective's alert: the fast page's (an hour, and five minutes to end it soon). */
const LATENCY_WINDOWS = { long: BURN_RATE_WINDOWS[0].long, short: BURN_RATE_WINDOWS[0].short };

/** The latency quantiles recorded for a service: p50, p95, p99 and its objective's percentile. */
export function recordedQuantiles(service: Pick<ServiceSpec, 'slo'>): number[] {
  return [...new Set([...RECORDED_QUANTILES, service.slo.latency.percentile / 100])].sort((a, b) => a - b);
}

/**
 * Every service records the same series names; each rule also names its service as a label (the value its series
 * carry anyway), so that the rules of all services in one file are distinct, as `promtool check rules` requires.
 */
function recordingRules(target: QueryTarget, service: ServiceSpec): RecordingRule[] {
  const thresholdSeconds = service.slo.latency.thresholdMs / 1000;
  const labels = { [REQUEST_LABELS.service]: service.name };
  return ALERT_WINDOWS.flatMap((window) => [
    { record: RECORDED.requestRate(window), expr: requestRate(target, window), labels },
    // The 5xx rate itself only where the dashboards count the error budget from it (errorBudgetRemaining).
    ...(window === BUDGET_RATE_WINDOW ? [{ record: RECORDED.errorRate(window), expr: serverErrorRate(target, window), labels }] : []),
    { record: RECORDED.errorRatio(window), expr: errorRatio(target, window), labels },
    { record: RECORDED.slowRatio(window), expr: slowRatio(target, thresholdSeconds, window), labels },
    ...recordedQuantiles(service).map((quantile) => ({
      record: RECORDED.latency(window),
      expr: latencyQuantile(target, quantile, window),
      labels: { ...labels, quantile: String(quantile) },
    })),
  ]);
}

/** Where an alert's annotations point: the service's dashboard and the alert's runbook section. */
function links(platform: PlatformSpec, service: ServiceSpec, alert: AlertName): Record<string, string> {
  const prometheus = platform.observability.prometheus;
  const grafana = prometheus?.grafanaUrl ?? '';
  const runbooks = prometheus?.runbookUrl ?? '';
  return { dashboard: `${grafana}/d/${dashboardUid(platform, service.name)}`, runbook_url: `${runbooks}#${alert.toLowerCase()}` };
}

function alertingRules(platform: PlatformSpec, service: ServiceSpec, target: QueryTarget): AlertingRule[] {
  const budget = errorBudget(service.slo.availabilityPercent);
  const identity = { service: service.name, namespace: platform.namespace, environment: platform.environment };
  const severities: Severity[] = ['page', 'ticket'];
  const burns = severities.map((severity): AlertingRule => {
    const windows = BURN_RATE_WINDOWS.filter((window) => window.severity === severity);
    return {
      alert: 'ErrorBudgetBurn',
      expr: windows.map((window) => `(\n${burnRateCondition(target, window, budget)}\n)`).join('\nor\n'),
      for: ALERT_FOR[severity],
      labels: { severity, ...identity },
      annotations: {
        summary: `${service.name}: 5xx answers burn the ${SLO_WINDOW_DAYS}-day error budget of its ${service.slo.availabilityPercent}% objective `
          + `${windows.map((w) => `${w.factor}x over ${w.long}`).join(' or ')} (${severity})`,
        ...links(platform, service, 'ErrorBudgetBurn'),
      },
    };
  });
  const { percentile, thresholdMs } = service.slo.latency;
  const latency: AlertingRule = {
    alert: 'LatencyObjectiveMissed',
    expr: latencyCondition(target, percentile, LATENCY_WINDOWS),
    for: ALERT_FOR.latency,
    labels: { severity: 'ticket', ...identity },
    annotations: {
      summary: `${service.name}: more than ${Number((100 - percentile).toPrecision(6))}% of requests take longer than ${thresholdMs} ms `
        + `over ${LATENCY_WINDOWS.long} and ${LATENCY_WINDOWS.short} (objective: p${percentile} under ${thresholdMs} ms)`,
      ...links(platform, service, 'LatencyObjectiveMissed'),
    },
  };
  // Per version: `sum` keeps no labels, so the version is named in the rule.
  const down = service.versions.map((version): AlertingRule => ({
    alert: 'TargetDown',
    expr: targetsDown({ ...target, version: version.name }),
    for: ALERT_FOR.targetDown,
    labels: { severity: 'page', ...identity, version: version.name },
    annotations: {
      summary: `${service.name} ${version.name}: no pod is scraped successfully (all down, or none left)`,
      ...links(platform, service, 'TargetDown'),
    },
  }));
  return [...burns, latency, ...down];
}

/** The rule groups of one service: its recording rules, then its alerts. */
export function serviceRuleGroups(platform: PlatformSpec, service: ServiceSpec): RuleGroup[] {
  const target = queryTarget(platform, service);
  return [
    { name: `${service.name}.recording`, rules: recordingRules(target, service) },
    { name: `${service.name}.alerts`, rules: alertingRules(platform, service, target) },
  ];
}

/** Every rule group of an environment, service by service. */
export function platformRuleGroups(platform: PlatformSpec): RuleGroup[] {
  return platform.services.flatMap((service) => serviceRuleGroups(platform, service));
}
