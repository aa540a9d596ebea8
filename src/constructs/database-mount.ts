/**
 * What a service's pods get for its database: the Secret `<service>-database` mounted read-only and
 * `DATABASE_URL_FILE` pointing at its `url` file. The Secret is created by the Pulumi program (src/deploy).
 */
import type { k8s } from 'cdk8s-plus-27';
import { DATABASE_MOUNT_PATH, DATABASE_URL_ENV, DATABASE_URL_KEY } from '../description/names/database';
import type { ServiceSpec } from '../description/types';

const DATABASE_VOLUME = 'database';

/** The environment variable, mount and volume of the service's database URL; all empty without a database. */
export function databaseMount(service: Pick<ServiceSpec, 'database'>): {
  readonly env: Readonly<Record<string, string>>;
  readonly volumeMounts: k8s.VolumeMount[];
  readonly volumes: k8s.Volume[];
} {
  if (!service.database) return { env: {}, volumeMounts: [], volumes: [] };
  return {
    env: { [`${DATABASE_URL_ENV}_FILE`]: `${DATABASE_MOUNT_PATH}/${DATABASE_URL_KEY}` },
    volumeMounts: [{ name: DATABASE_VOLUME, mountPath: DATABASE_MOUNT_PATH, readOnly: true }],
    // Only the one key, so nothing else the Secret might hold reaches the pod. Not optional: the program refuses to
    // deploy a declared database without its URL, and a pod must not silently fall back to memory.
    volumes: [{
      name: DATABASE_VOLUME,
      secret: { secretName: service.database.secretName, defaultMode: 0o440, items: [{ key: DATABASE_URL_KEY, path: DATABASE_URL_KEY }] },
    }],
  };
}
