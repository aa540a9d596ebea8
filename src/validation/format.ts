import type { Finding } from './types';

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects). */
export function objectLabel(finding: Pick<Finding, 'kind' | 'name' | 'namespace'>): string {
  return `${finding.kind} ${finding.namespace ? `${finding.namespace}/` : ''}${finding.name}`;
}

/**
 * One finding on one line, e.g. `VirtualService shop/order-service: spec.http[0].route[1].destination.subset: subset "v3"
 * is not defined by any DestinationRule for host order-service (defined: v1, v2)`.
 */
export function formatFinding(finding: Finding): string {
  return `${objectLabel(finding)}: ${finding.path ? `${finding.path}: ` : ''}${finding.message}`;
}

/** Counts by severity, e.g. `2 errors, 1 warning`. */
export function summary(findings: readonly Finding[], objects: number): string {
  const count = (severity: Finding['severity']): number => findings.filter((finding) => finding.severity === severity).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')} in ${plural(objects, 'object')}`;
}

/**
 * The human report: findings grouped by file, then by object, each with its rule, path, message and fix hint, and the
 * construct path when known; a summary line last.
 */
export function formatText(findings: readonly Finding[], objects: number): string {
  const lines: string[] = [];
  const byFile = groupBy(findings, (finding) => finding.file ?? '(input)');
  for (const [file, inFile] of byFile) {
    lines.push(file);
    for (const [, ofObject] of groupBy(inFile, (finding) => `${objectLabel(finding)}|${finding.line ?? ''}`)) {
      const first = ofObject[0];
      const where = [first.line ? `line ${first.line}` : '', first.constructPath ? `construct ${first.constructPath}` : '']
        .filter(Boolean).join(', ');
      lines.push(`  ${objectLabel(first)}${where ? ` (${where})` : ''}`);
      for (const finding of ofObject) {
        lines.push(`    ${finding.severity.padEnd(7)} ${finding.rule}  ${finding.path ? `${finding.path}: ` : ''}${finding.message}`);
        lines.push(`            fix: ${finding.hint}`);
      }
    }
    lines.push('');
  }
  lines.push(summary(findings, objects));
  return lines.join('\n');
}

/** The JSON report of the CLI: `{"findings": [{file, kind, name, namespace, rule, severity, path, message, hint}], "objects": N}`. */
export function formatJson(findings: readonly Finding[], objects: number): string {
  return JSON.stringify({
    findings: findings.map((finding) => ({
      file: finding.file ?? null,
      kind: finding.kind,
      name: finding.name,
      namespace: finding.namespace ?? null,
      rule: finding.rule,
      severity: finding.severity,
      path: finding.path,
      message: finding.message,
      hint: finding.hint,
    })),
    objects,
  });
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
