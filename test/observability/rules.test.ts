/** The rule groups, the rules file and the promtool unit tests generated from each environment's SLOs. */
import { parse } from 'yaml';
import { BURN_RATE_WINDOWS, SLO_WINDOW_DAYS, durationSeconds } from '../../src/observability/burn-rates';
import { promtoolTests } from '../../src/observability/promtool-tests';
import { renderRulesFile } from '../../src/observability/rules-file';
import { ALERT_NAMES, platformRuleGroups } from '../../src/observability/slo-rules';
import { ENVIRONMENTS } from '../../src/description';
import { promqlSyntaxErrors } from '../support/promql';
import { synthesizeAll, type KubeObject } from '../support/platform';

const synthesized = synthesizeAll();

test('each burn rate is the share of the 30-day budget its alert spends over its long window', () => {
  for (const window of BURN_RATE_WINDOWS) {
    expect(window.factor).toBeCloseTo((window.budgetSpent * SLO_WINDOW_DAYS * 86_400) / durationSeconds(window.long), 10);
    expect(durationSeconds(window.long) / durationSeconds(window.short)).toBe(12);
  }
});

describe.each(ENVIRONMENTS)('%s', (environment) => {
  const { spec, objects } = synthesized[environment];

  test('the rules file holds every group of the PrometheusRules, and every expression in it parses', () => {
    const file = parse(renderRulesFile(spec)) as { groups: { name: string; rules: { expr: string }[] }[] };
    const inObjects = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((r) => r.spec.groups as KubeObject[]);
    expect(file.groups.map((g) => g.name)).toEqual(inObjects.map((g) => g.name));
    expect(file.groups).toEqual(platformRuleGroups(spec).map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r })) })));
    for (const rule of file.groups.flatMap((g) => g.rules)) expect(promqlSyntaxErrors(rule.expr)).toEqual([]);
  });

  test.each(spec.services.map((s) => s.name))('%s: the promtool tests cover the five scenarios against its own alerts', (name) => {
    const service = spec.services.find((s) => s.name === name)!;
    const file = parse(promtoolTests(spec, service, ['rules.yaml'])) as KubeObject;
    expect(file.rule_files).toEqual(['rules.yaml']);
    expect(file.tests.map((t: KubeObject) => t.name.replace(`${name}: `, ''))).toEqual([
      'healthy traffic fires nothing',
      expect.stringMatching(/^\d+% 5xx pages within 2m$/),
      'a slow burn opens only the ticket',
      'a latency regression fires the latency alert',
      'a vanished target fires TargetDown',
    ]);
    const checks = file.tests.flatMap((t: KubeObject) => t.alert_rule_test);
    for (const check of checks) expect(ALERT_NAMES).toContain(check.alertname);
    // The healthy scenario expects silence from every alert; the others one firing alert of the service each.
    expect(file.tests[0].alert_rule_test.every((c: KubeObject) => c.exp_alerts.length === 0)).toBe(true);
    const fired = checks.flatMap((c: KubeObject) => c.exp_alerts);
    expect(new Set(fired.map((a: KubeObject) => a.exp_labels.severity))).toEqual(new Set(['page', 'ticket']));
    for (const alert of fired) expect(alert.exp_labels).toMatchObject({ service: name, version: service.versions[0].name, environment });
    // The error budget left, as the dashboards count it: untouched when healthy, 4.5 budgets spent in the slow burn.
    const budgetChecks = file.tests.map((t: KubeObject) => t.promql_expr_test?.map((c: KubeObject) => c.exp_samples[0].value));
    expect(budgetChecks).toEqual([[100], undefined, [-350], undefined, undefined]);
    // Every series is a whole number of requests per minute, as promtool's expanding notation needs.
    for (const series of file.tests.flatMap((t: KubeObject) => t.input_series)) expect(series.values).toMatch(/^(0\+\d+x\d+|1x\d+( stale)?)$/);
  });
});
