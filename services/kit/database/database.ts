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
/** How long a successful statement counts as proof that the database is reachable, for readiness. */
const RECENT_SUCCESS_MS = 2000;
/** Longest a readiness check waits for `SELECT 1`: below Kubernetes' default probe timeout of 1 s. */
const PROBE_TIMEOUT_MS = 800;
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
  private lastSuccessAt = 0;
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
    // An idle connection that breaks (server restart) must not crash the process; readiness checks again.
    this.pool.on('error', (error) => {
      this.lastSuccessAt = 0;
      options.logger.warn({ database: this.label, reason: unavailableReason(error) ?? error.message }, 'database connection lost');
    });
    this.started = this.migrateUntilDone(RETRY_MIN_MS);
  }

  /** Resolves once the schema is migrated (or the database was closed first): for tests and benchmarks. */
  whenMigrated(): Promise<void> {
    return this.started;
  }

  /**
   * Readiness check: undefined when migrated and reachable, else why not. A statement that succeeded within the last
   * {@link RECENT_SUCCESS_MS} proves reachability; otherwise `SELECT 1` is sent (at most {@link PROBE_TIMEOUT_MS}). So a
   * busy pod does not queue probes behind its requests for a connection, and an idle one still notices an outage.
   */
  readonly check = async (): Promise<string | undefined> => {
    if (!this.migrated) return `database ${this.label} is not ready (${this.lastProblem})`;
    if (Date.now() - this.lastSuccessAt < RECENT_SUCCESS_MS) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.pool.query('SELECT 1'), timeout]);
      this.lastSuccessAt = Date.now();
      return undefined;
    } catch (error) {
      return `database ${this.label} is unreachable (${unavailableReason(error) ?? (error as Error).message})`;
    } finally {
      clearTimeout(timer);
    }
  };

  /**
   * Runs one statement.
   * @throws DatabaseUnavailableError when not migrated yet or the database cannot be reached
   */
  async query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
    this.requireMigrated();
    try {
      const result = await this.pool.query<R>(text, values);
      this.lastSuccessAt = Date.now();
      return result;
    } catch (error) {
      if (unavailableReason(error) !== undefined) this.lastSuccessAt = 0;
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
      this.lastSuccessAt = Date.now();
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
        this.lastProblem = unavailableReason(error) ?? `migration failed: ${rootCause(error).message}`;
        logger.warn({ database: this.label, reason: this.lastProblem, retryInMs: delayMs }, 'database not ready');
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        // Never what keeps the process alive: the server does that.
        this.retryTimer = setTimeout(resolve, delayMs).unref();
      });
      delayMs = Math.min(delayMs * 2, RETRY_MAX_MS);
    }
  }
}

/** The innermost `cause` of an error: Umzug wraps the driver's error as "Migration x (up) failed: Original error: ...". */
function rootCause(error: unknown): Error {
  let current = error as Error;
  while (current.cause instanceof Error) current = current.cause;
  return current;
}
