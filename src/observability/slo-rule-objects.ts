/** Per service a PrometheusRule carrying its rule groups (slo-rules.ts), labelled for the Operator's `ruleSelector`. */
import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/monitoring.coreos.com';
import { serviceLabels } from '../description/names/labels';
import { serviceMonitorName } from '../description/names/observability';
import type { ObservabilityProps } from './props';
import { serviceRuleGroups } from './slo-rules';

/** The PrometheusRules of one environment. */
export class SloRules extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { platform, prometheus } = props;
    for (const service of platform.services) {
      new PrometheusRule(this, service.name, {
        metadata: {
          name: serviceMonitorName(service.name),
          namespace: platform.namespace,
          labels: { ...serviceLabels(platform, service.name, service.component), ...prometheus.ruleLabels },
        },
        spec: {
          groups: serviceRuleGroups(platform, service).map((group) => ({
            name: group.name,
            rules: group.rules.map((rule) => ({ ...rule, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr) })),
          })),
        },
      });
    }
  }
}
