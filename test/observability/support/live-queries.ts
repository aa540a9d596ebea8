/**
 * "No dead queries": every PromQL expression the platform generates, run against a Prometheus that scrapes the real
 * services. Each series selector in an expression (parsed with Prometheus' own grammar) must match live series on
 * its own, so an alert whose condition is rightly empty still has live inputs; an expression that must return data
 * (a recording rule, a panel, a trigger) must, with the labels the platform expects, and a series per compared
 * workload where it compares them (versions, or Flagger's primary and canary). Every problem names the expression (rule group and rule, dashboard and panel, trigger).
 */
import { parser } from '@prometheus-io/lezer-promql';

/** One generated expression, named where a user would find it. */
export interface NamedQuery {
  /** e.g. `rule group order-service.recording, record service_version:http_requests_total:rate5m`. */
  readonly name: string;
  readonly expr: string;
  /** Whether the expression itself must return data (recording rules, panels, triggers), not only its selectors. */
  readonly mustReturnData: boolean;
  /** Labels every returned series must carry. @default none */
  readonly labels?: readonly string[];
  /**
   * The compared workloads that must each have a series: the label that tells them apart (`version`, or `app` for
   * Flagger's primary and canary) and its values. @default none
   */
  readonly compares?: { readonly label: string; readonly values: readonly string[] };
}

/** One series of an instant query's answer. */
export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
}

/** Runs an instant query (Prometheus' `/api/v1/query`); rejects on a query error. */
export type InstantQuery = (expr: string) => Promise<readonly Sample[]>;

/** The series selectors of an expression, in order, without duplicates (`metric{…}`, also inside `x[5m]`). */
export function seriesSelectors(expr: string): string[] {
  const selectors = new Set<string>();
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') selectors.add(expr.slice(node.from, node.to));
    },
  });
  return [...selectors];
}

/**
 * The problems of `queries` against a live Prometheus, one line each, naming the expression; empty when all are live.
 * @param substitute for a selector the test's traffic cannot make live (e.g. the 5xx of a service that never fails),
 *   the selector to check instead, which must still match; undefined to check the selector itself
 */
export async function deadQueryProblems(
  queries: readonly NamedQuery[],
  query: InstantQuery,
  substitute: (selector: string) => string | undefined = () => undefined,
): Promise<string[]> {
  const problems: string[] = [];
  const live = new Map<string, Promise<readonly Sample[]>>();
  const run = (expr: string) => {
    if (!live.has(expr)) live.set(expr, query(expr));
    return live.get(expr)!;
  };
  for (const named of queries) {
    const failed = (what: string) => problems.push(`${named.name}: ${what}`);
    for (const selector of seriesSelectors(named.expr)) {
      const checked = substitute(selector) ?? selector;
      const series = await run(checked).catch((error: Error) => failed(`selector ${checked} fails: ${error.message}`));
      if (Array.isArray(series) && series.length === 0) failed(`selector ${checked} matches no live series`);
    }
    if (!named.mustReturnData) continue;
    const result = await run(named.expr).catch((error: Error) => failed(`fails: ${error.message}`));
    if (!Array.isArray(result)) continue;
    if (result.length === 0) {
      failed('returns no data');
      continue;
    }
    for (const label of named.labels ?? []) {
      const without = result.filter((sample) => sample.metric[label] === undefined);
      if (without.length > 0) failed(`${without.length} of ${result.length} series lack the label ${label}`);
    }
    if (!named.compares) continue;
    const { label, values } = named.compares;
    const got = new Set(result.map((sample) => sample.metric[label]));
    const missing = values.filter((value) => !got.has(value));
    if (missing.length > 0) failed(`no series for ${label} ${missing.join(', ')} (got ${[...got].join(', ') || 'none'})`);
  }
  return problems;
}
