/**
 * Parses PromQL with Prometheus' own grammar (@prometheus-io/lezer-promql, the parser of Prometheus' web UI), so a
 * generated expression with a syntax error fails by name before promtool or a real Prometheus ever sees it.
 */
import { parser } from '@prometheus-io/lezer-promql';

/** The syntax errors of `expression`, as `at <offset>: …<text>…`; empty when it parses. */
export function promqlSyntaxErrors(expression: string): string[] {
  const errors: string[] = [];
  parser.parse(expression).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`at ${node.from}: …${expression.slice(Math.max(0, node.from - 20), node.to + 20)}…`);
    },
  });
  return errors;
}
