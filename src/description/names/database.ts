/** Names of the databases, their Secrets and the in-cluster PostgreSQL server, and how pods receive their URL. */

/** Environment variable the services read their database URL from; the pods get `<it>_FILE`. */
export const DATABASE_URL_ENV = 'DATABASE_URL';
/** Where a service's database URL Secret is mounted, and the Secret's key (the file name). */
export const DATABASE_MOUNT_PATH = '/var/run/secrets/database';
export const DATABASE_URL_KEY = 'url';
/** Secret holding a service's database URL (created by Pulumi, never synthesized). */
export const databaseSecretName = (service: string) => `${service}-database`;
/** Default database (and in-cluster role) name of a service: `order-service` → `order_service`. */
export const defaultDatabaseName = (service: string) => service.replace(/-/g, '_');
/** The in-cluster PostgreSQL server: its StatefulSet, headless Service, ServiceAccount and Secret. */
export const postgresServerName = (platform: string) => `${platform}-postgres`;
/** ConfigMap with the in-cluster server's init script. */
export const postgresInitName = (platform: string) => `${platform}-postgres-init`;
/** Port of the in-cluster PostgreSQL server. */
export const POSTGRES_PORT = 5432;
