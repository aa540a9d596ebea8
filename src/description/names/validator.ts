/**
 * Annotations of the platform's validator (src/validation, docs/validation.md). The platform writes some of them on the
 * objects it generates and the validator reads them all: both import them from here, so neither imports the other.
 */

/** Prefix of every annotation of the validator. */
export const VALIDATION_PREFIX = 'validation.mesh-platform.io';

/**
 * `validation.mesh-platform.io/suppress.<rule-id>: "<reason>"` on an object suppresses that rule's findings on it.
 * The reason is required: an empty one is itself a `suppression-invalid` error.
 */
export const SUPPRESS_PREFIX = `${VALIDATION_PREFIX}/suppress.`;

/** Comma-separated names of Secrets a workload uses that are created outside the input (e.g. by Pulumi); `*` for all. */
export const EXTERNAL_SECRETS = `${VALIDATION_PREFIX}/external-secrets`;

/** Comma-separated names of ConfigMaps a workload uses that are created outside the input; `*` for all. */
export const EXTERNAL_CONFIGMAPS = `${VALIDATION_PREFIX}/external-configmaps`;
