/**
 * The in-cluster PostgreSQL server as a Compose service, for `npm run local -- --database`: taken from the StatefulSet
 * and init-script ConfigMap the manifests hold (src/constructs/postgres-server.ts, synthesized here in memory), so it
 * runs with the same environment (PGDATA, PGPORT, the password files), user, restricted security context, probes and
 * init script. Pure: the files it mounts (passwords, the init script) are written by credentials.ts.
 */
import { App, Chart } from 'cdk8s';
import { PostgresServer } from '../constructs/postgres-server';
import { databaseClients } from '../constructs/database-clients';
import type { InClusterPostgresSpec } from '../description/database-types';
import { postgresInitName } from '../description/names/database';
import type { PlatformSpec } from '../description/types';
import type { ComposeService } from './compose-types';
import { limitSettings, literal, securitySettings, tmpfsMount } from './container-settings';

/** What the Compose service of the server mounts from the host, relative to the Compose file. */
export interface DatabaseServerFiles {
  /** Directory with one password file per key of the server's Secret (the superuser's, one per role). */
  readonly passwords: string;
  /** Directory holding the init script, mounted at /docker-entrypoint-initdb.d. */
  readonly init: string;
}

/** The server's Compose service and what it needs around it. */
export interface DatabaseServer {
  /** Compose service name: the StatefulSet's, e.g. `shop-postgres`. */
  readonly name: string;
  readonly server: InClusterPostgresSpec;
  readonly service: ComposeService;
  /** The named volume of its data (the StatefulSet's volume claim). */
  readonly volume: string;
  /** The init script's file name and text, as in the ConfigMap. */
  readonly initScript: { readonly file: string; readonly text: string };
  /** The databases (and roles) it creates, one per service that declares a database. */
  readonly databases: readonly string[];
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Exec probe → healthcheck, with the start-up allowance of the startup probe. */
function execHealthcheck(container: Json): ComposeService['healthcheck'] {
  const readiness = container.readinessProbe;
  const startup = container.startupProbe ?? {};
  return {
    test: ['CMD', ...readiness.exec.command],
    interval: `${readiness.periodSeconds}s`,
    timeout: `${readiness.timeoutSeconds}s`,
    retries: readiness.failureThreshold,
    start_period: `${(startup.periodSeconds ?? 0) * (startup.failureThreshold ?? 0)}s`,
  };
}

/**
 * The server of an environment whose `postgres` is in the cluster, with the image to run (the manifests' official image
 * when present locally, else the stand-in of images/stand-in-postgres.sh).
 * @throws Error when the environment has no in-cluster server used by a service (the CLI checks first)
 */
export function databaseServer(spec: PlatformSpec, image: string, files: DatabaseServerFiles): DatabaseServer {
  const use = databaseClients(spec);
  if (use?.server.location !== 'in-cluster') throw new Error(`${spec.environment}: no in-cluster PostgreSQL server that a service uses`);
  const chart = new Chart(new App(), 'local');
  new PostgresServer(chart, 'Postgres', { platform: spec });
  const objects = chart.toJson() as Json[];
  const statefulSet = objects.find((object) => object.kind === 'StatefulSet') as Json;
  const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === postgresInitName(spec.name)) as Json;
  const pod = statefulSet.spec.template.spec;
  const container = pod.containers[0];
  const volumes = new Map<string, Json>(pod.volumes.map((volume: Json) => [volume.name, volume]));
  const claim = statefulSet.spec.volumeClaimTemplates[0].metadata.name as string;
  const volume = `${use.server.name}-${claim}`;
  const [initFile, initText] = Object.entries(configMap.data as Record<string, string>)[0] as [string, string];
  const mounts: string[] = [];
  const tmpfs: string[] = [];
  for (const mount of container.volumeMounts as Json[]) {
    const source = volumes.get(mount.name);
    if (mount.name === claim) mounts.push(`${volume}:${mount.mountPath}`);
    else if (source?.emptyDir) tmpfs.push(tmpfsMount(mount.mountPath, source.emptyDir.sizeLimit));
    else if (source?.configMap) mounts.push(`${files.init}:${mount.mountPath}:ro`);
    else if (source?.secret) mounts.push(`${files.passwords}:${mount.mountPath}:ro`);
  }
  return {
    name: use.server.name,
    server: use.server,
    volume,
    initScript: { file: initFile, text: initText },
    databases: use.clients.map((client) => client.database?.name as string),
    service: {
      image,
      ...securitySettings(container.securityContext),
      tmpfs,
      ...limitSettings(container.resources.limits),
      stop_grace_period: `${pod.terminationGracePeriodSeconds}s`,
      labels: { ...statefulSet.spec.template.metadata.labels, 'mesh-platform.environment': spec.environment },
      environment: Object.fromEntries((container.env as Json[]).map((variable) => [variable.name, literal(String(variable.value))])),
      ports: [`127.0.0.1::${use.server.port}`],
      volumes: mounts,
      networks: { [spec.namespace]: { aliases: [use.server.name, use.server.host] } },
      healthcheck: execHealthcheck(container),
    },
  };
}
