/**
 * An environment's rule groups as a Prometheus rules file (`groups:` YAML), the format `promtool check rules`,
 * `promtool test rules` and a Prometheus without the Operator read. The PrometheusRules carry the same groups.
 */
import { stringify } from 'yaml';
import type { PlatformSpec } from '../description/types';
import type { ServiceSpec } from '../description/types';
import { platformRuleGroups, serviceRuleGroups, type RuleGroup } from './slo-rules';

/** Rule groups as the text of a Prometheus rules file. */
export function renderRuleGroups(groups: readonly RuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}

/** One service's rule groups as a Prometheus rules file: what its promtool tests (promtool-tests.ts) read. */
export function renderServiceRulesFile(platform: PlatformSpec, service: ServiceSpec): string {
  return renderRuleGroups(serviceRuleGroups(platform, service));
}

/** Every rule group of one environment as a Prometheus rules file. */
export function renderRulesFile(platform: PlatformSpec): string {
  return renderRuleGroups(platformRuleGroups(platform));
}
