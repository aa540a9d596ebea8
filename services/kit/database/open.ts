import type { Service } from '../service';
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
