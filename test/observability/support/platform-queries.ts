/**
 * Every PromQL expression an environment generates, named where a user finds it: the rule groups' recording rules
 * and alerts (slo-rules.ts, the PrometheusRules' content), every query of every dashboard panel (with the labels its
 * legend shows, and a series per compared workload where it compares them: versions, or Flagger's primary and canary)
 * and the KEDA Prometheus triggers, read from the synthesized objects (a progressive service's ScaledObject, and the
 * query its Canary gives Flagger's primary ScaledObject).
 */
import { dashboardPanelTargets } from '../../../src/observability/dashboards/panel-targets';
import { sideBySide } from '../../../src/observability/dashboards/side-by-side';
import { RECORDED, VERSION_LABELS } from '../../../src/observability/queries';
import { platformRuleGroups } from '../../../src/observability/slo-rules';
import type { PlatformSpec } from '../../../src/description';
import { dashboardUid } from '../../../src/description/names/observability';
import { ofKind, type KubeObject } from '../../support/platform';
import type { NamedQuery } from './live-queries';

/** Recorded series that compare versions: every version must have one (the error ratio exists where 5xx did). */
const PER_VERSION = [RECORDED.requestRate, RECORDED.slowRatio, RECORDED.latency];

/** The named queries of one environment's spec and synthesized objects. */
export function platformQueries(spec: PlatformSpec, objects: readonly KubeObject[]): NamedQuery[] {
  const rules = platformRuleGroups(spec).flatMap((group) => {
    const service = spec.services.find((s) => group.name.startsWith(`${s.name}.`))!;
    return group.rules.map((rule): NamedQuery => {
      if ('alert' in rule) {
        return { name: `rule group ${group.name}, alert ${rule.alert} (${rule.labels.severity}${rule.labels.version ? `, ${rule.labels.version}` : ''})`, expr: rule.expr, mustReturnData: false };
      }
      const window = /(\d+[smhdw])$/.exec(rule.record)![1];
      const perVersion = PER_VERSION.some((name) => name(window) === rule.record);
      return {
        name: `rule group ${group.name}, record ${rule.record}${rule.labels ? ` ${JSON.stringify(rule.labels)}` : ''}`,
        expr: rule.expr,
        mustReturnData: true,
        labels: VERSION_LABELS,
        compares: perVersion ? { label: 'version', values: service.versions.map((v) => v.name) } : undefined,
      };
    });
  });
  const triggers = ofKind(objects, 'ScaledObject').flatMap((scaled) => (scaled.spec.triggers as KubeObject[])
    .filter((trigger) => trigger.type === 'prometheus')
    .map((trigger, index): NamedQuery => ({ name: `ScaledObject ${scaled.metadata.name}, trigger ${index}`, expr: trigger.metadata.query, mustReturnData: true })));
  const primaryTriggers = ofKind(objects, 'Canary').flatMap((canary) => Object.entries((canary.spec.autoscalerRef?.primaryScalerQueries ?? {}) as Record<string, string>)
    .map(([trigger, expr]): NamedQuery => ({ name: `Canary ${canary.metadata.name}, primaryScalerQueries ${trigger}`, expr, mustReturnData: true })));
  const panels = dashboardPanelTargets(spec).map((target): NamedQuery => {
    const labels = [...target.legend.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]);
    const service = spec.services.find((s) => dashboardUid(spec, s.name) === target.dashboard);
    const compared = service && sideBySide(service);
    return {
      name: `dashboard ${target.dashboard}, panel ${target.panel}, query ${target.refId}`,
      expr: target.expr,
      mustReturnData: true,
      labels,
      compares: compared && labels.includes(compared.label) ? { label: compared.label, values: compared.workloads.map((w) => w.series) } : undefined,
    };
  });
  return [...rules, ...panels, ...triggers, ...primaryTriggers];
}
