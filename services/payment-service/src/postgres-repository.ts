import type { QueryResult, QueryResultRow } from 'pg';
import type { Database } from '../../kit/database/database';
import {
  KeyInFlightError,
  type KeyedPayment,
  type KeyedPayments,
  type Payment,
  type PaymentRepository,
  type ProviderMode,
} from './model';

/** First half of the two-key advisory locks on idempotency keys (the second is the key's hash). */
const KEY_LOCK_SPACE = 7_331_402;

/** SQLSTATE `lock_not_available`: `lock_timeout` passed while waiting. */
const LOCK_NOT_AVAILABLE = '55P03';

interface PaymentRow {
  id: string;
  idempotency_key: string;
  order_id: string;
  amount_cents: string;
  currency: string;
  mode: ProviderMode;
  created_at: Date;
}

const COLUMNS = 'id, idempotency_key, order_id, amount_cents, currency, status, mode, created_at';
const INSERT = `INSERT INTO payments (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
const BY_KEY = `SELECT ${COLUMNS} FROM payments WHERE idempotency_key = $1`;
const BY_ID = `SELECT ${COLUMNS} FROM payments WHERE id = $1`;

/** Runs a statement: on the pool, or on the connection that holds a key. */
type Query = <R extends QueryResultRow>(text: string, values: unknown[]) => Promise<QueryResult<R>>;

function toEntry(row: PaymentRow): KeyedPayment {
  const request = { orderId: row.order_id, amountCents: Number(row.amount_cents), currency: row.currency };
  const payment: Payment = { id: row.id, ...request, status: 'succeeded', mode: row.mode, createdAt: row.created_at.toISOString() };
  return { key: row.idempotency_key, request, payment };
}

/** Payments by key on one connection or the pool. */
class KeyedPaymentsOn implements KeyedPayments {
  constructor(private readonly query: Query) {}

  async save({ key, request, payment }: KeyedPayment): Promise<void> {
    const { orderId, amountCents, currency } = request;
    await this.query(INSERT, [payment.id, key, orderId, amountCents, currency, payment.status, payment.mode, payment.createdAt]);
  }

  async findByKey(key: string): Promise<KeyedPayment | undefined> {
    const result = await this.query<PaymentRow>(BY_KEY, [key]);
    return result.rows[0] && toEntry(result.rows[0]);
  }
}

/**
 * Payments in PostgreSQL, shared by every replica and kept across restarts. A key is held exclusively with a
 * session-level advisory lock on its hash (waiting at most the database's `lock_timeout`, then KeyInFlightError): a
 * retry on another replica blocks until the first charge is saved, then finds it. If the charging process dies, its
 * connection and so its lock go with it, and the next retry charges (nothing was saved). The unique index on
 * `idempotency_key` is the last guard: a second payment for a key cannot be stored.
 */
export class PostgresPaymentRepository extends KeyedPaymentsOn implements PaymentRepository {
  /** @param database migrated with PAYMENT_MIGRATIONS */
  constructor(private readonly database: Database) {
    super((text, values) => database.query(text, values));
  }

  /** The work runs on the connection holding the lock: it never waits for a second connection from the pool. */
  async exclusively<T>(key: string, work: (payments: KeyedPayments) => Promise<T>): Promise<T> {
    return this.database.withConnection(async (client) => {
      try {
        await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [KEY_LOCK_SPACE, key]);
      } catch (error) {
        if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) throw new KeyInFlightError(key);
        throw error;
      }
      try {
        return await work(new KeyedPaymentsOn((text, values) => client.query(text, values)));
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [KEY_LOCK_SPACE, key]);
      }
    });
  }

  async findById(id: string): Promise<Payment | undefined> {
    const result = await this.database.query<PaymentRow>(BY_ID, [id]);
    return result.rows[0] && toEntry(result.rows[0]).payment;
  }
}
