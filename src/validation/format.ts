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

/** The findings of one set of objects validated together (one environment), for the CLI's report. */
export interface ReportedSet {
  /** The directory or PATHs the set was read from. */
  readonly label: string;
  readonly objects: number;
  readonly findings: readonly Finding[];
}

/**
 * The human report: findings grouped by file, then by object, each with its rule, path, message and fix hint, and the
 * construct path when known; a summary line last. Several sets (a directory of environments) are reported one after
 * the other, each under a line naming it, then a total.
 */
export function formatText(sets: readonly ReportedSet[]): string {
  if (sets.length === 1) return formatSet(sets[0].findings, sets[0].objects);
  const blocks = sets.map((set) => `== ${set.label} (validated as its own set)\n${formatSet(set.findings, set.objects)}`);
  const total = summary(sets.flatMap((set) => set.findings), sets.reduce((sum, set) => sum + set.objects, 0));
  return [`validating ${sets.length} directories separately: ${sets.map((set) => set.label).join(', ')}`, ...blocks, `total: ${total}`].join('\n\n');
}

function formatSet(findings: readonly Finding[], objects: number): string {
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

/**
 * The JSON report of the CLI: `{"findings": [{file, line, kind, name, namespace, rule, severity, path, message, hint}],
 * "objects": N}`, plus `"sets": [{path, objects, errors, warnings}]` when several sets were validated separately (each
 * finding then names its `set`).
 */
export function formatJson(sets: readonly ReportedSet[]): string {
  const several = sets.length > 1;
  const count = (findings: readonly Finding[], severity: Finding['severity']): number => findings.filter((f) => f.severity === severity).length;
  return JSON.stringify({
    findings: sets.flatMap((set) => set.findings.map((finding) => ({
      ...(several ? { set: set.label } : {}),
      file: finding.file ?? null,
      line: finding.line ?? null,
      kind: finding.kind,
      name: finding.name,
      namespace: finding.namespace ?? null,
      rule: finding.rule,
      severity: finding.severity,
      path: finding.path,
      message: finding.message,
      hint: finding.hint,
    }))),
    objects: sets.reduce((sum, set) => sum + set.objects, 0),
    ...(several ? { sets: sets.map((set) => ({ path: set.label, objects: set.objects, errors: count(set.findings, 'error'), warnings: count(set.findings, 'warning') })) } : {}),
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
