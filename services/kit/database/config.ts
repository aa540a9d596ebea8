import type { EnvReader } from '../config';

/** Where a service's PostgreSQL database is. */
export interface DatabaseTarget {
  /** The `postgres://` URL, credentials included: give it to the driver only, never to a log or a message. */
  readonly url: string;
  /** `<database> on <host>:<port>`: how logs, errors and `/readyz` name the database, without credentials. */
  readonly label: string;
}

/** Settings of the PostgreSQL storage. */
export interface DatabaseConfig {
  /**
   * `DATABASE_URL`, or the file named by `DATABASE_URL_FILE` (a mounted Secret): a `postgres://` URL.
   * @default undefined (the service keeps its data in memory)
   */
  readonly database?: DatabaseTarget;
  /** `DATABASE_POOL_SIZE`: connections per process. @default 10 */
  readonly databasePoolSize: number;
}

const DEFAULT_PORT = '5432';

/**
 * Names a database the way logs and errors show it, without user or password.
 * @returns e.g. `payments on db.internal:5432`, or undefined when `url` is not a postgres:// URL with host and database
 */
export function databaseLabel(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const isPostgres = parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:';
  if (!isPostgres || parsed.hostname === '' || name === '' || name.includes('/')) return undefined;
  return `${name} on ${parsed.hostname}:${parsed.port || DEFAULT_PORT}`;
}

/**
 * Reads `DATABASE_URL` / `DATABASE_URL_FILE` and `DATABASE_POOL_SIZE` (see {@link DatabaseConfig}). A set but unusable
 * value is a problem (never a silent fall-back to memory, which would lose data); the problem never shows the value,
 * which may hold a password.
 */
export function readDatabaseConfig(env: EnvReader): DatabaseConfig {
  const databasePoolSize = env.integer('DATABASE_POOL_SIZE', { default: 10, min: 1, max: 100 });
  const url = env.secret('DATABASE_URL');
  if (url === undefined) return { databasePoolSize };
  const label = databaseLabel(url);
  if (label === undefined) {
    env.report(
      'DATABASE_URL (or the file DATABASE_URL_FILE names): expected postgres://user:password@host:port/database ' +
        '(the value is not shown: it may hold a password)',
    );
    return { databasePoolSize };
  }
  return { database: { url, label }, databasePoolSize };
}
