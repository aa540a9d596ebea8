/** Annotations and labels the validator reads on the objects it checks (documented in docs/validation.md). */

/** Prefix of every annotation and label of the validator. */
export const PREFIX = 'validation.mesh-platform.io';

/**
 * `validation.mesh-platform.io/suppress.<rule-id>: "<reason>"` on an object suppresses that rule's findings on it.
 * The reason is required: an empty one is itself a `suppression-invalid` error.
 */
export const SUPPRESS_PREFIX = `${PREFIX}/suppress.`;

/** Comma-separated names of Secrets a workload uses that are created outside the input (e.g. by Pulumi); `*` for all. */
export const EXTERNAL_SECRETS = `${PREFIX}/external-secrets`;

/** Comma-separated names of ConfigMaps a workload uses that are created outside the input; `*` for all. */
export const EXTERNAL_CONFIGMAPS = `${PREFIX}/external-configmaps`;

/**
 * Namespace label `mesh-platform.io/production: "true"`: the production rules apply to that namespace. It is the
 * platform's own environment label (not validator-specific), so the platform chart's prod namespace carries it already.
 */
export const PRODUCTION_LABEL = 'mesh-platform.io/production';

/**
 * Namespace label that puts a namespace in the mesh (Istio sidecar injection, `enabled`), so the mesh policies apply
 * to it; `disabled` keeps it out even with a revision label. See `Context.isMeshNamespace` for the other labels.
 */
export const MESH_LABEL = 'istio-injection';
/** Namespace label for revision-based sidecar injection (`istio.io/rev: <revision>`). */
export const REVISION_LABEL = 'istio.io/rev';
/** Namespace label that puts a namespace in the ambient mesh (`istio.io/dataplane-mode: ambient`). */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';

/** Names listed in a comma-separated annotation value (trimmed, empty entries dropped). */
export function listAnnotation(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}
