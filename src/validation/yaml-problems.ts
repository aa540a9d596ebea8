/**
 * What kubectl refuses in a YAML document that still parses: a mapping key written twice (sigs.k8s.io/yaml's strict
 * YAMLToJSON fails with `key "name" already set in map`) and a number JSON cannot hold (`.nan`, `.inf`: `json:
 * unsupported value`). The loader records them per object (ObjectSource.readProblems), so they are findings of the
 * object, with file and line, instead of failing the whole input. Its rule, `object-yaml`, is in the catalogue (rules.ts).
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Context } from './context';
import { at } from './shapes';
import type { ReadProblem } from './types';

/**
 * The problems of one object's YAML node: repeated keys, at the repeated key, and non-finite numbers.
 *
 * @param lineOf 1-based line of a source offset
 */
export function readProblems(node: unknown, lineOf: (offset: number | undefined) => number, path = ''): ReadProblem[] {
  if (isScalar(node)) {
    return typeof node.value === 'number' && !Number.isFinite(node.value)
      ? [{ path, line: lineOf(node.range?.[0]), message: `${node.source ?? String(node.value)} is a number JSON cannot hold: kubectl refuses the document` }]
      : [];
  }
  if (isSeq(node)) return node.items.flatMap((item, i) => readProblems(item, lineOf, at(path, i)));
  if (!isMap(node)) return [];
  const seen = new Map<string, number>();
  const problems: ReadProblem[] = [];
  for (const pair of node.items) {
    if (isAlias(pair.key)) continue;
    // A merge key (`<<`, read as a symbol) may repeat, as in Go's yaml; its entries are the mapping's own.
    const key = isScalar(pair.key) && typeof pair.key.value !== 'symbol' ? String(pair.key.value) : undefined;
    const line = lineOf((pair.key as { range?: [number] } | null)?.range?.[0]);
    if (key !== undefined) {
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({ path: at(path, key), line, message: `key "${key}" is set twice in one mapping (first at line ${first}): kubectl refuses the document, other tools keep one of the values` });
      } else seen.set(key, line);
    }
    problems.push(...readProblems(pair.value, lineOf, key === undefined ? path : at(path, key)));
  }
  return problems;
}

/** Reports what the loader recorded about each object's YAML. */
export function checkYamlProblems(context: Context): void {
  for (const entry of context.inventory.entries) {
    for (const problem of entry.source?.readProblems ?? []) {
      context.report(entry, 'object-yaml', problem.path, `line ${problem.line}: ${problem.message}`);
    }
  }
}
