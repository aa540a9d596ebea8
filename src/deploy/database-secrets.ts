/**
 * The database Secrets, made from Pulumi secret config (never synthesized): per service that declares a database,
 * `<service>-database` with its `postgres://` URL under `url`; for the in-cluster server, `<platform>-postgres` with
 * the superuser's password and one password per service role.
 *
 * External server: each service's URL is stack config `databases["<service>"].url`, checked against the description
 * (its host and port are the only ones the NetworkPolicies and the ServiceEntry allow; its path names the database).
 * In-cluster server: one stack secret, `postgresPassword`; each role's password is HMAC-SHA-256 of the role name keyed
 * by it, so every service has its own credentials, stable across runs (the server keeps the passwords it was initialised
 * with) and never stored anywhere but in the Secrets, encrypted in the Pulumi state.
 */
import { createHmac } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { POSTGRES_COMPONENT, SUPERUSER_PASSWORD_KEY } from '../constructs/postgres-server';
import type { DatabaseSpec, PostgresServerSpec } from '../description/database-types';
import { DATABASE_URL_KEY } from '../description/names/database';
import { serviceLabels } from '../description/names/labels';
import type { PlatformSpec } from '../description/types';
import { configProblem, DeployConfigError, type DatabaseUrls } from './config';
import type { KubernetesObject } from './kubernetes-object';

/** The parts of the platform spec that decide the database Secrets. */
export type DatabaseSecretSpec = Pick<PlatformSpec, 'name' | 'namespace' | 'services' | 'postgres'>;

/** The stack's database secrets, as `readDeployConfig` returns them. */
export interface DatabaseSecretConfig {
  readonly databases: pulumi.Output<DatabaseUrls>;
  readonly postgresPassword?: pulumi.Output<string>;
}

const urlFix = (service: string, server: PostgresServerSpec, database: string) =>
  `pulumi config set --secret --path 'databases["${service}"].url' 'postgres://<user>:<password>@${server.host}:${server.port}/${database}'`;

/** The problems of one configured URL, naming its host, port and database but never its credentials. */
function urlProblems(service: string, database: DatabaseSpec, server: PostgresServerSpec, url: string): string[] {
  const key = `databases.${service}.url`;
  const fix = urlFix(service, server, database.name);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [configProblem(key, 'is not a URL', fix)];
  }
  const problems: string[] = [];
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    problems.push(configProblem(key, `must be a postgres:// URL (got ${parsed.protocol}//)`, fix));
  }
  const port = Number(parsed.port || 5432);
  if (parsed.hostname !== server.host || port !== server.port) {
    problems.push(configProblem(key,
      `points at ${parsed.hostname}:${port}, but the environment's PostgreSQL server (postgres.host/port), the only destination the NetworkPolicies and the ServiceEntry allow, is ${server.host}:${server.port}`, fix));
  }
  const path = decodeURIComponent(parsed.pathname.slice(1));
  if (path !== database.name) {
    problems.push(configProblem(key, `names the database "${path}", but ${service} declares "${database.name}" (services.${service}.database.name)`, fix));
  }
  return problems;
}

/**
 * What is wrong with the configured URLs against the spec: every service named declares a database, and on an
 * external server every declared database has a valid URL to that server.
 * @returns one line per problem with the command that fixes it; empty when the URLs are fine
 */
export function databaseUrlProblems(spec: DatabaseSecretSpec, urls: DatabaseUrls): string[] {
  const clients = spec.services.filter((service) => service.database);
  const problems: string[] = [];
  for (const service of Object.keys(urls).filter((name) => !clients.some((client) => client.name === name))) {
    problems.push(configProblem(`databases.${service}`,
      `no service with a database is named "${service}" (services with a database: ${clients.map((c) => c.name).join(', ') || 'none'})`));
  }
  const server = spec.postgres;
  for (const client of server ? clients : []) {
    const url = urls[client.name]?.url;
    if (server!.location === 'in-cluster') {
      if (url !== undefined) {
        problems.push(configProblem(`databases.${client.name}.url`, 'is not used: the in-cluster server\'s URLs are derived from postgresPassword',
          `pulumi config rm --path 'databases["${client.name}"]'`));
      }
    } else if (url === undefined || url === '') {
      problems.push(configProblem(`databases.${client.name}.url`,
        `${client.name} declares a database on ${server!.host}:${server!.port} but no URL is set (a deployed service never falls back to memory)`,
        urlFix(client.name, server!, client.database!.name)));
    } else {
      problems.push(...urlProblems(client.name, client.database!, server!, url));
    }
  }
  return problems;
}

/**
 * Checks the configured URLs against the spec (see {@link databaseUrlProblems}).
 * @throws DeployConfigError listing each problem with the command that fixes it.
 */
export function checkDatabaseUrls(spec: DatabaseSecretSpec, urls: DatabaseUrls): void {
  const problems = databaseUrlProblems(spec, urls);
  if (problems.length > 0) throw new DeployConfigError(problems);
}

/** The password of a service's role on the in-cluster server, derived from the superuser's. */
export function rolePassword(superuserPassword: string, role: string): string {
  return createHmac('sha256', superuserPassword).update(`mesh-platform/postgres/role/${role}`).digest('base64url');
}

/**
 * The database Secrets as Pulumi inputs whose data is a Pulumi secret.
 * @throws DeployConfigError when the in-cluster server has no `postgresPassword` (at once), or when a URL is missing
 * or wrong (when `config.databases` resolves; the program checks them before, in src/deploy/secret-config.ts).
 */
export function databaseSecretObjects(spec: DatabaseSecretSpec, config: DatabaseSecretConfig): KubernetesObject[] {
  const server = spec.postgres;
  const clients = spec.services.filter((service) => service.database);
  if (!server || clients.length === 0) return [];
  const checked = config.databases.apply((urls) => {
    checkDatabaseUrls(spec, urls);
    return urls;
  });
  type Data = Record<string, string>;
  const secret = (name: string, labels: Record<string, string>, data: pulumi.Output<Data>): KubernetesObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: spec.namespace, labels },
    type: 'Opaque',
    stringData: pulumi.secret(data),
  });

  if (server.location === 'external') {
    return clients.map((client) =>
      secret(client.database!.secretName, serviceLabels(spec, client.name, client.component),
        checked.apply((urls): Data => ({ [DATABASE_URL_KEY]: urls[client.name]!.url! }))));
  }

  const password = config.postgresPassword;
  if (!password) {
    throw new DeployConfigError([configProblem('postgresPassword',
      `the environment runs PostgreSQL in the cluster for ${clients.map((c) => c.name).join(', ')}, and its superuser password is not set`)]);
  }
  const urls = pulumi.all([password, checked]).apply(([superuser]) => Object.fromEntries(clients.map((client) => {
    const role = client.database!.name;
    return [client.name, `postgres://${role}:${rolePassword(superuser, role)}@${server.host}:${server.port}/${role}`];
  })));
  return [
    secret(server.name, serviceLabels(spec, server.name, POSTGRES_COMPONENT), password.apply((superuser): Data => ({
      [SUPERUSER_PASSWORD_KEY]: superuser,
      ...Object.fromEntries(clients.map((client) => [client.database!.name, rolePassword(superuser, client.database!.name)])),
    }))),
    ...clients.map((client) =>
      secret(client.database!.secretName, serviceLabels(spec, client.name, client.component), urls.apply((all): Data => ({ [DATABASE_URL_KEY]: all[client.name] })))),
  ];
}
