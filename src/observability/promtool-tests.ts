/**
 * `promtool test rules` unit tests of a service's rules, derived from its SLOs (run by the lead's toolchain test with
 * the real promtool): healthy traffic fires nothing; a fast burn (20% 5xx, or more when the budget is that large)
 * pages within the page's `for`; a slow burn (4.5x the budget) opens only the ticket; a latency regression fires the
 * latency alert; a vanished target fires TargetDown. In the healthy and the slow-burn scenarios, the error budget
 * the dashboards show (counted from the recorded rates) is also what the raw counters say. The series are written with
 * the labels the services expose and the PodMonitors add, and the expected alerts are read from the rules themselves
 * (labels and annotations).
 */
import { stringify } from 'yaml';
import { REQUEST_DURATION_SECONDS, REQUEST_LABELS, REQUESTS_TOTAL } from '../../services/kit/metric-vocabulary';
import type { PlatformSpec, ServiceSpec } from '../description/types';
import { BURN_RATE_WINDOWS, SLO_WINDOW_DAYS, durationSeconds, errorBudget, type Severity } from './burn-rates';
import { errorBudgetRemaining, queryTarget } from './queries';
import { ALERT_FOR, ALERT_NAMES, serviceRuleGroups, type AlertName, type AlertingRule } from './slo-rules';

/** Minutes each scenario's series cover, at one sample a minute (the evaluation interval). */
const MINUTES = 60;

/** What the tested version's traffic looks like in one scenario. */
interface Traffic {
  /** Share of requests answered with a 500. */
  readonly errorShare: number;
  /** Share of requests slower than the latency objective's threshold. */
  readonly slowShare: number;
  /** Whether the version's only target disappears after ten minutes. */
  readonly vanishes: boolean;
}

const HEALTHY: Traffic = { errorShare: 0, slowShare: 0, vanishes: false };

/** `{a="b",…}` */
const labelText = (labels: Readonly<Record<string, string>>) => `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;

/** A counter growing by `perMinute` every minute for the whole scenario. */
const counter = (name: string, labels: Record<string, string>, perMinute: number) =>
  ({ series: `${name}${labelText(labels)}`, values: `0+${perMinute}x${MINUTES}` });

/**
 * The input series of a scenario: every version's `up` (the target labels a PodMonitor gives it), and the first
 * version's requests, errors and latency buckets with `requestsPerMinute` requests a minute.
 */
function inputSeries(platform: PlatformSpec, service: ServiceSpec, traffic: Traffic, requestsPerMinute: number) {
  const version = service.versions[0].name;
  const identity = { namespace: platform.namespace, [REQUEST_LABELS.service]: service.name, [REQUEST_LABELS.version]: version };
  const request = { ...identity, [REQUEST_LABELS.method]: 'GET', [REQUEST_LABELS.route]: '/resource' };
  const errors = Math.round(requestsPerMinute * traffic.errorShare);
  const slow = Math.round(requestsPerMinute * traffic.slowShare);
  const threshold = String(service.slo.latency.thresholdMs / 1000);
  const up = service.versions.map((v, i) => ({
    series: `up${labelText({ namespace: platform.namespace, app: service.name, version: v.name, job: `${platform.namespace}/${service.name}`, pod: `${service.name}-${v.name}-0` })}`,
    values: i === 0 && traffic.vanishes ? '1x10 stale' : `1x${MINUTES}`,
  }));
  if (traffic.vanishes) return up;
  return [
    ...up,
    counter(REQUESTS_TOTAL, { ...request, [REQUEST_LABELS.statusCode]: '200' }, requestsPerMinute - errors),
    counter(REQUESTS_TOTAL, { ...request, [REQUEST_LABELS.statusCode]: '500' }, errors),
    counter(`${REQUEST_DURATION_SECONDS}_bucket`, { ...request, [REQUEST_LABELS.statusCode]: '200', le: threshold }, requestsPerMinute - slow),
    counter(`${REQUEST_DURATION_SECONDS}_bucket`, { ...request, [REQUEST_LABELS.statusCode]: '200', le: '+Inf' }, requestsPerMinute),
    counter(`${REQUEST_DURATION_SECONDS}_count`, { ...request, [REQUEST_LABELS.statusCode]: '200' }, requestsPerMinute),
  ];
}

/**
 * The labels `absent(selector)` gives its result: the selector's equality matchers (TargetDown's `namespace`, `app`,
 * `version`; promtool compares an alert's labels exactly).
 */
function absentLabels(expr: string): Record<string, string> {
  const selector = /absent\(\w+\{([^}]*)\}\)/.exec(expr)?.[1] ?? '';
  return Object.fromEntries([...selector.matchAll(/(\w+)="([^"]*)"/g)].map(([, label, value]) => [label, value]));
}

/** The alert an expected firing is read from, with the labels the recorded series (or `absent`) add. */
function expected(alerts: readonly AlertingRule[], name: AlertName, version: string, severity?: Severity) {
  const rule = alerts.find((a) => a.alert === name && (severity === undefined || a.labels.severity === severity) && (a.labels.version ?? version) === version);
  if (!rule) throw new Error(`no ${name} alert${severity ? ` of severity ${severity}` : ''} for version ${version}`);
  return { exp_labels: { ...absentLabels(rule.expr), ...rule.labels, version }, exp_annotations: rule.annotations };
}

/**
 * A check of the error budget left at the end of a scenario, as the dashboards query it (in percent, rounded: the
 * recorded rates' ratio may differ from the counters' in the last bit): `errorShare` of the requests failed throughout.
 */
function budgetLeftCheck(platform: PlatformSpec, service: ServiceSpec, errorShare: number) {
  const budgetLeft = errorBudgetRemaining(queryTarget(platform, service), errorBudget(service.slo.availabilityPercent), `${SLO_WINDOW_DAYS}d`);
  return {
    expr: `round(100 * (${budgetLeft}))`,
    eval_time: `${MINUTES}m`,
    exp_samples: [{
      labels: labelText({ namespace: platform.namespace, [REQUEST_LABELS.service]: service.name }),
      value: Math.round(100 * (1 - errorShare / errorBudget(service.slo.availabilityPercent))),
    }],
  };
}

/** Minutes until an alert with this `for` has fired for sure: the condition holds from the second sample on. */
const firedBy = (forDuration: string) => `${durationSeconds(forDuration) / 60 + 5}m`;

/**
 * The `promtool test rules` file of one service, reading `ruleFiles` (paths relative to the test file, or absolute):
 * the service's own rules only (`renderServiceRulesFile`), since the other services' TargetDown would fire without
 * their series.
 * Its SLOs decide the traffic: the requests a minute make every share a whole number of requests.
 */
export function promtoolTests(platform: PlatformSpec, service: ServiceSpec, ruleFiles: readonly string[]): string {
  const alerts = serviceRuleGroups(platform, service).flatMap((group) => group.rules).filter((rule): rule is AlertingRule => 'alert' in rule);
  const budget = errorBudget(service.slo.availabilityPercent);
  const slowAllowed = (100 - service.slo.latency.percentile) / 100;
  const requestsPerMinute = Math.round(1000 / Math.min(budget, slowAllowed));
  const [fastPage] = BURN_RATE_WINDOWS;
  const version = service.versions[0].name;
  const none = (names: readonly AlertName[], at: string) => names.map((alertname) => ({ eval_time: at, alertname, exp_alerts: [] }));
  /** The share of requests the scenario's series really fail (whole requests a minute). */
  const failedShare = (traffic: Traffic) => Math.round(requestsPerMinute * traffic.errorShare) / requestsPerMinute;
  const scenario = (name: string, traffic: Traffic, checks: object[], checkBudget = false) => ({
    name: `${service.name}: ${name}`,
    interval: '1m',
    input_series: inputSeries(platform, service, traffic, requestsPerMinute),
    alert_rule_test: checks,
    ...(checkBudget ? { promql_expr_test: [budgetLeftCheck(platform, service, failedShare(traffic))] } : {}),
  });
  const end = `${MINUTES}m`;
  const fastShare = Math.min(1, Math.max(0.2, fastPage.factor * budget * 1.5));
  const pageAt = firedBy(ALERT_FOR.page);
  const ticketAt = firedBy(ALERT_FOR.ticket);
  const latencyAt = firedBy(ALERT_FOR.latency);
  const tests = [
    scenario('healthy traffic fires nothing', HEALTHY, none(ALERT_NAMES, end), true),
    scenario(`${Math.round(fastShare * 100)}% 5xx pages within ${ALERT_FOR.page}`, { ...HEALTHY, errorShare: fastShare }, [
      { eval_time: pageAt, alertname: 'ErrorBudgetBurn', exp_alerts: [expected(alerts, 'ErrorBudgetBurn', version, 'page')] },
      ...none(['LatencyObjectiveMissed', 'TargetDown'], pageAt),
    ]),
    scenario('a slow burn opens only the ticket', { ...HEALTHY, errorShare: 4.5 * budget }, [
      { eval_time: ticketAt, alertname: 'ErrorBudgetBurn', exp_alerts: [expected(alerts, 'ErrorBudgetBurn', version, 'ticket')] },
      { eval_time: end, alertname: 'ErrorBudgetBurn', exp_alerts: [expected(alerts, 'ErrorBudgetBurn', version, 'ticket')] },
      ...none(['LatencyObjectiveMissed', 'TargetDown'], end),
    ], true),
    scenario('a latency regression fires the latency alert', { ...HEALTHY, slowShare: Math.min(1, 10 * slowAllowed) }, [
      { eval_time: latencyAt, alertname: 'LatencyObjectiveMissed', exp_alerts: [expected(alerts, 'LatencyObjectiveMissed', version)] },
      ...none(['ErrorBudgetBurn', 'TargetDown'], latencyAt),
    ]),
    scenario('a vanished target fires TargetDown', { ...HEALTHY, vanishes: true }, [
      { eval_time: '10m', alertname: 'TargetDown', exp_alerts: [] },
      { eval_time: '30m', alertname: 'TargetDown', exp_alerts: [expected(alerts, 'TargetDown', version)] },
    ]),
  ];
  return stringify({ rule_files: [...ruleFiles], evaluation_interval: '1m', tests }, { lineWidth: 0 });
}
