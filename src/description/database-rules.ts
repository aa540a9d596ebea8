/** Cross-field rules of the database fields: a server where databases are declared, one database per service. */
import type { z } from 'zod';
import type { ConfigIssue } from './errors';
import { DATABASE_URL_ENV, defaultDatabaseName, postgresServerName } from './names/database';
import type { platformSchema } from './schema';

type Platform = z.output<typeof platformSchema>;

/** Every issue of the database fields; empty when they are consistent. */
export function databaseIssues(platform: Platform): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const withDatabase = platform.services.filter((service) => service.database);
  const server = platform.postgres;
  if (!server) {
    for (const service of withDatabase) {
      issues.push({
        path: `services.${service.name}.database`,
        message: 'declares a database, but the environment configures no PostgreSQL server',
        fix: `set postgres in the environment's overrides: { location: 'in-cluster' } (development) or { location: 'external', host: '<server>', port: 5432 }`,
      });
    }
    return issues;
  }
  if (server.location === 'in-cluster') {
    if (platform.production) {
      issues.push({
        path: 'postgres.location',
        message: 'the in-cluster PostgreSQL is one pod without replication or backups, not allowed in production',
        fix: `set postgres to { location: 'external', host: '<server>', port: 5432 } in the production overrides`,
      });
    }
    const name = postgresServerName(platform.name);
    if (platform.services.some((service) => service.name === name)) {
      issues.push({ path: `services.${name}`, message: `the in-cluster PostgreSQL server is named "${name}" too`, fix: 'rename the service' });
    }
  } else if (platform.networkPolicies && !server.cidrs) {
    issues.push({
      path: 'postgres.cidrs',
      message: `NetworkPolicies match addresses, not host names, so the services could not reach ${server.host}`,
      fix: `set postgres.cidrs to the address ranges of ${server.host}, e.g. ['10.20.0.0/24']`,
    });
  }
  const owners = new Map<string, string>();
  for (const service of withDatabase) {
    const name = service.database!.name ?? defaultDatabaseName(service.name);
    const owner = owners.get(name);
    if (owner) {
      issues.push({
        path: `services.${service.name}.database.name`,
        message: `database "${name}" is ${owner}'s already; each service has its own database`,
        fix: 'give the database another name',
      });
    }
    owners.set(name, service.name);
    if (service.secrets.some((secret) => secret.env === DATABASE_URL_ENV)) {
      issues.push({
        path: `services.${service.name}.secrets.${DATABASE_URL_ENV}`,
        message: `${DATABASE_URL_ENV} comes from the declared database`,
        fix: `remove the secret ${DATABASE_URL_ENV}, or the database`,
      });
    }
  }
  return issues;
}
