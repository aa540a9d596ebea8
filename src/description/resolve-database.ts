/** Resolution of the database fields (see database-schema.ts): defaults derived from names, the server's address. */
import type { z } from 'zod';
import type { serviceDatabaseSchema, postgresServerSchema } from './database-schema';
import type { DatabaseSpec, PostgresServerSpec } from './database-types';
import { POSTGRES_PORT, databaseSecretName, defaultDatabaseName, postgresServerName } from './names/database';
import { serviceHost, type PlatformIdentity } from './names/workloads';

/** A service's declared database with its name and Secret derived. */
export function resolveDatabase(service: string, database: z.output<typeof serviceDatabaseSchema> | undefined): DatabaseSpec | undefined {
  if (!database) return undefined;
  return { engine: database.engine, name: database.name ?? defaultDatabaseName(service), secretName: databaseSecretName(service) };
}

/** The environment's server with the address the services reach it at. */
export function resolvePostgresServer(
  platform: PlatformIdentity,
  server: z.output<typeof postgresServerSchema> | undefined,
): PostgresServerSpec | undefined {
  if (server?.location !== 'in-cluster') return server;
  const name = postgresServerName(platform.name);
  return { ...server, name, host: serviceHost(platform, name), port: POSTGRES_PORT };
}
