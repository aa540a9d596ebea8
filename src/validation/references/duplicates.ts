import type { Context } from '../context';
import type { Entry } from '../inventory';

/** Reports every object after the first that has the same API group, kind, namespace and name (apply would merge them). */
export function checkDuplicates(context: Context): void {
  const first = new Map<string, Entry>();
  for (const entry of context.inventory.entries) {
    if (!entry.kind || !entry.name) continue;
    const key = `${entry.group}|${entry.kind}|${entry.effectiveNamespace ?? ''}|${entry.name}`;
    const original = first.get(key);
    if (!original) {
      first.set(key, entry);
      continue;
    }
    const where = original.source?.file ? ` (first in ${original.source.file}${original.source.line ? `:${original.source.line}` : ''})` : '';
    context.report(entry, 'ref-duplicate-object', 'metadata.name',
      `another ${entry.kind} named ${entry.effectiveNamespace ? `${entry.effectiveNamespace}/` : ''}${entry.name} is already defined${where}`);
  }
}
