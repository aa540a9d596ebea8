import { SUPPRESS_PREFIX } from './annotations';
import type { Context } from './context';
import type { Entry } from './inventory';
import { isRule, type RuleId } from './rules';
import { at } from './shapes';
import type { Finding } from './types';

/**
 * Applies the suppression annotations (`validation.mesh-platform.io/suppress.<rule-id>: "<reason>"`): drops the findings
 * of that rule on that object. An annotation without a reason, or naming no rule, suppresses nothing and is itself a
 * `suppression-invalid` error, which cannot be suppressed.
 */
export function applySuppressions(context: Context): Finding[] {
  const valid = new Map<Entry, Set<RuleId>>();
  for (const entry of context.inventory.entries) {
    for (const [key, reason] of Object.entries(entry.annotations)) {
      if (!key.startsWith(SUPPRESS_PREFIX)) continue;
      const rule = key.slice(SUPPRESS_PREFIX.length);
      const path = at('metadata.annotations', key);
      if (!isRule(rule) || rule === 'suppression-invalid') {
        context.report(entry, 'suppression-invalid', path, `"${rule}" is not a rule that can be suppressed`);
      } else if (reason.trim().length === 0) {
        context.report(entry, 'suppression-invalid', path, `suppression of ${rule} gives no reason`);
      } else {
        valid.set(entry, new Set([...(valid.get(entry) ?? []), rule]));
      }
    }
  }
  return context.reported
    .filter(({ entry, finding }) => finding.rule === 'suppression-invalid' || !valid.get(entry)?.has(finding.rule))
    .map(({ finding }) => finding);
}
