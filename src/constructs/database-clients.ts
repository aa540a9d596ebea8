/** Which services use the environment's PostgreSQL server: what the database constructs are derived from. */
import type { PostgresServerSpec } from '../description/database-types';
import type { PlatformSpec, ServiceSpec } from '../description/types';

/** The server and the services that declare a database; undefined when there is no server or no such service. */
export function databaseClients(platform: PlatformSpec): { readonly server: PostgresServerSpec; readonly clients: readonly ServiceSpec[] } | undefined {
  const clients = platform.services.filter((service) => service.database);
  return platform.postgres && clients.length > 0 ? { server: platform.postgres, clients } : undefined;
}
