import type { Service } from '../service';
import type { DatabaseConfig } from './config';
import { Database, type DatabaseOptions } from './database';

/**
 * Opens the service's database (migrating in the background), makes `/readyz` depend on it and closes it when the
 * app closes. Logs go to the app's logger.
 */
export function openDatabase(service: Service, options: Omit<DatabaseOptions, 'logger'>): Database {
  const database = new Database({ ...options, logger: service.app.log });
  service.readiness.addCheck(database.check);
  service.app.addHook('onClose', () => database.close());
  return database;
}

/** The two ways a service can store its data. */
export interface StorageChoice<R> {
  /** What is stored, for the start-up log line, e.g. `payments`. */
  readonly what: string;
  /** The in-memory repository (no `DATABASE_URL`). */
  readonly memory: () => R;
  /** The PostgreSQL repository on the opened database. */
  readonly postgres: (database: Database) => R;
  /** Database settings beyond the configuration's: schema, application name, lock timeout. */
  readonly database: Omit<DatabaseOptions, 'logger' | 'target' | 'poolSize'>;
}

/** The repository the configuration selects: PostgreSQL when `DATABASE_URL(_FILE)` is set, else process memory. */
export function selectStorage<R>(service: Service, config: DatabaseConfig, choice: StorageChoice<R>): R {
  if (config.database === undefined) {
    service.app.log.info(`no DATABASE_URL: ${choice.what} are kept in memory (lost on restart, not shared between replicas)`);
    return choice.memory();
  }
  const database = openDatabase(service, { ...choice.database, target: config.database, poolSize: config.databasePoolSize });
  service.app.log.info({ database: database.label }, `${choice.what} are kept in PostgreSQL`);
  return choice.postgres(database);
}
