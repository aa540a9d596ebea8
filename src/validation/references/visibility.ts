import type { Entry } from '../inventory';
import { record, strings } from '../shapes';

/** The Service annotation that limits which namespaces see a Service (Istio's `exportTo` for Services). */
export const SERVICE_EXPORT_TO = 'networking.istio.io/exportTo';

/**
 * The namespaces an Istio config object or Service is exported to, as written: `spec.exportTo` of a ServiceEntry,
 * VirtualService or DestinationRule, or the comma-separated `networking.istio.io/exportTo` annotation of a Service;
 * undefined when unset (exported everywhere, Istio's default).
 */
export function exportToOf(entry: Entry): string[] | undefined {
  const list = entry.kind === 'Service'
    ? entry.annotations[SERVICE_EXPORT_TO]?.split(',').map((item) => item.trim()).filter(Boolean)
    : strings(record(entry.object.spec).exportTo);
  return list && list.length > 0 ? list : undefined;
}

/**
 * Whether `entry` is visible to config in `namespace`: exportTo `*` (or unset) is everywhere, `.` its own namespace,
 * `~` nowhere, any other value that namespace.
 */
export function isVisibleIn(entry: Entry, namespace: string): boolean {
  const exportTo = exportToOf(entry);
  if (!exportTo) return true;
  if (exportTo.includes('~')) return false;
  return exportTo.some((item) => item === '*' || (item === '.' ? entry.effectiveNamespace === namespace : item === namespace));
}

/** `exportTo: .` (or `networking.istio.io/exportTo: .`) for messages. */
export function describeExportTo(entry: Entry): string {
  const exportTo = exportToOf(entry)?.join(', ') ?? '*';
  return entry.kind === 'Service' ? `${SERVICE_EXPORT_TO}: ${exportTo}` : `exportTo: ${exportTo}`;
}
