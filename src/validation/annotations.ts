/**
 * Annotations and labels the validator reads on the objects it checks (documented in docs/validation.md). The platform
 * writes them too, so they are defined once, in src/description/names/, which both import.
 */
export { EXTERNAL_CONFIGMAPS, EXTERNAL_SECRETS, SUPPRESS_PREFIX } from '../description/names/validator';
/** The production rules apply to a namespace labelled `mesh-platform.io/production: "true"` (or to every one with option `production`). */
export { PRODUCTION_LABEL } from '../description/names/labels';
/**
 * Which namespaces are in the mesh (`Context.isMeshNamespace`) and which Gateway API channel their routes are written
 * for (`Context.gatewayApiChannel`).
 */
export { DATAPLANE_MODE_LABEL, GATEWAY_API_CHANNEL_LABEL, REVISION_LABEL, SIDECAR_INJECTION_LABEL } from '../description/names/mesh';

/** Names listed in a comma-separated annotation value (trimmed, empty entries dropped). */
export function listAnnotation(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}
