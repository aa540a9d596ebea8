import type { Migration } from '../../kit/database/migrations';

/** order-service's tables, applied in order at start-up (never edit a released one: add the next). */
export const ORDER_MIGRATIONS: readonly Migration[] = [
  {
    name: '0001-orders',
    sql: `
      CREATE TABLE orders (
        id text PRIMARY KEY,
        user_id text NOT NULL,
        items jsonb NOT NULL,
        total_cents bigint NOT NULL CHECK (total_cents > 0),
        currency text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'paid', 'payment_failed')),
        payment_id text,
        failure_reason text,
        created_at timestamptz NOT NULL,
        -- The reconciliation's schedule of a pending order (NULL once settled).
        check_attempts integer NOT NULL DEFAULT 0,
        next_check_at timestamptz
      );
      CREATE INDEX orders_pending_due ON orders (next_check_at) WHERE status = 'pending'`,
  },
];
