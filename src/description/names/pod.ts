/** Conventions every pod of the platform follows: whom it runs as and where its secret files are mounted. */

/** Where secret files are mounted in every pod. */
export const SECRETS_MOUNT_PATH = '/var/run/secrets/app';

/** UID and GID every container runs as (distroless "nonroot"). */
export const NONROOT_ID = 65532;
