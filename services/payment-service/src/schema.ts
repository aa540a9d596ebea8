import type { Migration } from '../../kit/database/migrations';

/** payment-service's tables, applied in order at start-up (never edit a released one: add the next). */
export const PAYMENT_MIGRATIONS: readonly Migration[] = [
  {
    name: '0001-payments',
    sql: `
      CREATE TABLE payments (
        id text PRIMARY KEY,
        -- One payment per key, whichever replica charged it: the last guard against a second charge.
        idempotency_key text NOT NULL UNIQUE,
        order_id text NOT NULL,
        amount_cents bigint NOT NULL CHECK (amount_cents > 0),
        currency text NOT NULL,
        status text NOT NULL CHECK (status = 'succeeded'),
        mode text NOT NULL CHECK (mode IN ('sandbox', 'live')),
        created_at timestamptz NOT NULL
      )`,
  },
];
