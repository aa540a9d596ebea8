/** Resolved database types: what constructs and the Pulumi program get for `database` and `postgres`. */
import type { z } from 'zod';
import type { postgresServerSchema } from './database-schema';

type ParsedServer = z.output<typeof postgresServerSchema>;

/** A service's own database, resolved. */
export interface DatabaseSpec {
  readonly engine: 'postgres';
  /** Database name (and, in the cluster, role name). */
  readonly name: string;
  /** Secret with the key `url` that the pods mount (`DATABASE_URL_FILE`); created by Pulumi. */
  readonly secretName: string;
}

/** The in-cluster server, resolved: its object names and the address the services reach it at. */
export type InClusterPostgresSpec = Readonly<Extract<ParsedServer, { location: 'in-cluster' }>> & {
  /** Name of its StatefulSet, headless Service, ServiceAccount and Secret. */
  readonly name: string;
  /** Cluster-local FQDN of its headless Service. */
  readonly host: string;
  readonly port: number;
};

/** An external server, as described. */
export type ExternalPostgresSpec = Readonly<Extract<ParsedServer, { location: 'external' }>>;

/** The environment's PostgreSQL server; both forms carry the `host` and `port` the services connect to. */
export type PostgresServerSpec = InClusterPostgresSpec | ExternalPostgresSpec;
