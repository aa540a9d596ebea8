import type { PoolClient } from 'pg';
import { Umzug, type UmzugStorage } from 'umzug';

/** One schema change, in SQL. Migrations are code (not files) because the images run one bundled file. */
export interface Migration {
  /** Unique and ordered: `0001-payments`, `0002-...`; never renamed once released. */
  readonly name: string;
  /** The statements, run in one transaction together with recording the migration. */
  readonly sql: string;
}

/** Key of the session-level advisory lock that serializes migrations of every replica sharing a database. */
const MIGRATION_LOCK = 7_331_400_001;

const HISTORY = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** Umzug's record of applied migrations, in the table `schema_migrations` of the same database. */
class MigrationTable implements UmzugStorage {
  constructor(private readonly client: PoolClient) {}

  async executed(): Promise<string[]> {
    const result = await this.client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    return result.rows.map((row) => row.name);
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    // Already recorded in the migration's own transaction (see `apply`): this only keeps Umzug's contract.
    await this.client.query('INSERT INTO schema_migrations (name) VALUES ($1) ON CONFLICT DO NOTHING', [name]);
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.client.query('DELETE FROM schema_migrations WHERE name = $1', [name]);
  }
}

/** Runs one migration and records it in one transaction: a crash leaves it either applied and recorded, or neither. */
async function apply(client: PoolClient, migration: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [migration.name]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Applies the pending migrations with Umzug, under a session-level advisory lock: replicas starting at once wait for
 * the first one's run and then find nothing left to do. The lock goes with the connection if the process dies.
 * @returns the names of the migrations this call applied
 */
export async function migrate(client: PoolClient, migrations: readonly Migration[]): Promise<string[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(HISTORY);
    const umzug = new Umzug({
      migrations: migrations.map((migration) => ({ name: migration.name, up: () => apply(client, migration) })),
      storage: new MigrationTable(client),
      logger: undefined,
    });
    const applied = await umzug.up();
    return applied.map((migration) => migration.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
