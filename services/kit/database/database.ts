import { DatabaseError, Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { DatabaseTarget } from './config';
import { DatabaseUnavailableError, unavailableReason } from './errors';
import { type Migration, migrate } from './migrations';

/** What {@link Database} needs. */
export interface DatabaseOptions {
  /** Where the database is. */
  readonly target: DatabaseTarget;
  /** The service's schema, applied at start-up. */
  readonly migrations: readonly Migration[];
  /** Sent as `application_name`, so `pg_stat_activity` shows who is connected. */
  readonly application: string;
  /** Progress and outages are logged here, naming the database by its label (never the URL). */
  readonly logger: FastifyBaseLogger;
  /** Connections in the pool. @default 10 */
  readonly poolSize?: number;
  /** Longest wait for a lock (`lock_timeout`), e.g. for another replica's charge of the same key. @default 10000 */
  readonly lockTimeoutMs?: number;
  /** Longest a statement may run (`statement_timeout`), beyond the lock wait. @default 5000 */
  readonly statementTimeoutMs?: number;
}

/** Longest wait for a new connection before the database counts as unreachable. */
const CONNECT_TIMEOUT_MS = 3000;
/** Retry delays of the start-up migration while the database is unreachable: doubling from 250 ms up to 5 s. */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

/**
 * A service's PostgreSQL database: a pg connection pool plus the start-up migration, which runs in the background
 * and is retried until the database answers, so the process listens (and is live) meanwhile, but unready. Driver
 * errors that mean "unreachable" become {@link DatabaseUnavailableError}s (503); the URL never reaches a log.
 */
export class Database {
  /** The database as logs and errors name it, e.g. `payments on db:5432`. */
  readonly label: string;
  private readonly pool: Pool;
  private migrated = false;
  private lastProblem = 'not connected yet';
  private closed = false;
  private retryTimer?: NodeJS.Timeout;
  private wake?: () => void;
  private readonly started: Promise<void>;

  /** Creates the pool and starts migrating in the background. */
  constructor(private readonly options: DatabaseOptions) {
    this.label = options.target.label;
    const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.pool = new Pool({
      connectionString: options.target.url,
      application_name: options.application,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: lockTimeoutMs + (options.statementTimeoutMs ?? 5000),
      lock_timeout: lockTimeoutMs,
    });
    // An idle connection that breaks (server restart) must not crash the process.
    this.pool.on('error', (error) =>
      options.logger.warn({ database: this.label, reason: unavailableReason(error) ?? error.message }, 'database connection lost'),
    );
    this.started = this.migrateUntilDone(RETRY_MIN_MS);
  }

  /** Resolves once the schema is migrated (or the database was closed first): for tests and benchmarks. */
  whenMigrated(): Promise<void> {
    return this.started;
  }

  /** Readiness check: undefined when migrated and answering `SELECT 1`, else why not. */
  readonly check = async (): Promise<string | undefined> => {
    if (!this.migrated) return `database ${this.label} is not ready (${this.lastProblem})`;
    try {
      await this.pool.query('SELECT 1');
      return undefined;
    } catch (error) {
      return `database ${this.label} is unreachable (${unavailableReason(error) ?? 'query failed'})`;
    }
  };

  /**
   * Runs one statement.
   * @throws DatabaseUnavailableError when not migrated yet or the database cannot be reached
   */
  async query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
    this.requireMigrated();
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw this.translate(error);
    }
  }

  /**
   * Runs `work` on one connection of its own (for session-level advisory locks), released afterwards. A connection
   * that failed with a driver error is discarded rather than reused, so a lock it may still hold dies with it; the
   * services' own errors (a declined charge) leave it in the pool.
   * @throws DatabaseUnavailableError when not migrated yet or the database cannot be reached
   */
  async withConnection<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    this.requireMigrated();
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.translate(error);
    }
    try {
      const result = await work(client);
      client.release();
      return result;
    } catch (error) {
      const driverError = error instanceof DatabaseError || unavailableReason(error) !== undefined;
      client.release(driverError);
      throw this.translate(error);
    }
  }

  /** Stops retrying and closes the pool (on shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.wake?.();
    await this.pool.end();
  }

  /** A driver error as a DatabaseUnavailableError when it means "unreachable"; other errors unchanged. */
  translate(error: unknown): unknown {
    const reason = unavailableReason(error);
    return reason === undefined ? error : new DatabaseUnavailableError(this.label, reason);
  }

  private requireMigrated(): void {
    if (!this.migrated) throw new DatabaseUnavailableError(this.label, this.lastProblem);
  }

  private async migrateUntilDone(delayMs: number): Promise<void> {
    const { logger } = this.options;
    while (!this.closed) {
      try {
        const client = await this.pool.connect();
        try {
          const applied = await migrate(client, this.options.migrations);
          client.release();
          this.migrated = true;
          logger.info({ database: this.label, applied }, 'database ready: schema migrated');
          return;
        } catch (error) {
          client.release(true);
          throw error;
        }
      } catch (error) {
        this.lastProblem = unavailableReason(error) ?? `migration failed: ${(error as Error).message}`;
        logger.warn({ database: this.label, reason: this.lastProblem, retryInMs: delayMs }, 'database not ready');
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.retryTimer = setTimeout(resolve, delayMs);
      });
      delayMs = Math.min(delayMs * 2, RETRY_MAX_MS);
    }
  }
}
