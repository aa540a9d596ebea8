import type { Database } from '../../kit/database/database';
import type { Order, OrderItem, OrderRepository, OrderStatus, RetryPolicy, Settlement } from './model';

interface OrderRow {
  id: string;
  user_id: string;
  items: OrderItem[];
  total_cents: string;
  currency: string;
  status: OrderStatus;
  payment_id: string | null;
  failure_reason: string | null;
  created_at: Date;
}

const COLUMNS = 'id, user_id, items, total_cents, currency, status, payment_id, failure_reason, created_at';

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    userId: row.user_id,
    items: row.items,
    totalCents: Number(row.total_cents),
    currency: row.currency,
    status: row.status,
    ...(row.payment_id === null ? {} : { paymentId: row.payment_id }),
    ...(row.failure_reason === null ? {} : { failureReason: row.failure_reason }),
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Orders in PostgreSQL, shared by every replica and kept across restarts. Pending orders carry the reconciliation's
 * schedule (`next_check_at`); claims use `FOR UPDATE SKIP LOCKED`, so replicas reconciling at once take different
 * orders, and settling only ever changes a `pending` row.
 */
export class PostgresOrderRepository implements OrderRepository {
  /** @param database migrated with ORDER_MIGRATIONS */
  constructor(private readonly database: Database) {}

  async create(order: Order, firstCheckInMs: number): Promise<void> {
    await this.database.query(
      `INSERT INTO orders (${COLUMNS}, next_check_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + $10 * interval '1 millisecond')`,
      [order.id, order.userId, JSON.stringify(order.items), order.totalCents, order.currency, order.status,
        order.paymentId ?? null, order.failureReason ?? null, order.createdAt, firstCheckInMs],
    );
  }

  async settle(id: string, settlement: Settlement): Promise<Order | undefined> {
    const paymentId = settlement.status === 'paid' ? settlement.paymentId : null;
    const failureReason = settlement.status === 'payment_failed' ? settlement.failureReason : null;
    const updated = await this.database.query<OrderRow>(
      `UPDATE orders SET status = $2, payment_id = $3, failure_reason = $4, next_check_at = NULL
       WHERE id = $1 AND status = 'pending' RETURNING ${COLUMNS}`,
      [id, settlement.status, paymentId, failureReason],
    );
    return updated.rows[0] ? toOrder(updated.rows[0]) : this.findById(id);
  }

  async findById(id: string): Promise<Order | undefined> {
    const result = await this.database.query<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE id = $1`, [id]);
    return result.rows[0] && toOrder(result.rows[0]);
  }

  async claimDue(limit: number, retry: RetryPolicy): Promise<Order[]> {
    const result = await this.database.query<OrderRow>(
      `UPDATE orders AS o
       SET check_attempts = o.check_attempts + 1,
           next_check_at = now() + least($2::float8, $3::float8 * power(2, least(o.check_attempts, 20))) * interval '1 millisecond'
       FROM (SELECT id FROM orders WHERE status = 'pending' AND next_check_at <= now()
             ORDER BY next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED) AS due
       WHERE o.id = due.id
       RETURNING ${COLUMNS.split(', ').map((column) => `o.${column}`).join(', ')}`,
      [limit, retry.maxMs, retry.baseMs],
    );
    return result.rows.map(toOrder);
  }
}
