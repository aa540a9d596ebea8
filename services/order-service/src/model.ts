/** One line of an order. Prices are integer cents: no float drift. */
export interface OrderItem {
  /** Stock keeping unit. */
  readonly sku: string;
  /** Units, >= 1. */
  readonly quantity: number;
  /** Unit price in cents. */
  readonly priceCents: number;
}

/**
 * `pending`: stored, payment not settled yet (payment-service did not answer in time, failed with a 5xx, or could not
 * be reached: the charge may or may not have happened); `paid`: payment-service charged the total; `payment_failed`:
 * it answered with a definite refusal (a 4xx of its own).
 */
export type OrderStatus = 'pending' | 'paid' | 'payment_failed';

/** A placed order. */
export interface Order {
  /** Assigned on creation (UUID); also the payment's idempotency key. */
  readonly id: string;
  /** The user who ordered. */
  readonly userId: string;
  /** Lines. */
  readonly items: readonly OrderItem[];
  /** Sum of quantity x price, in cents. */
  readonly totalCents: number;
  /** ISO 4217 code. */
  readonly currency: string;
  /** Where the payment stands. */
  readonly status: OrderStatus;
  /** The payment, when paid. */
  readonly paymentId?: string;
  /** Why the payment failed, when it did. */
  readonly failureReason?: string;
  /** Creation time, ISO 8601. */
  readonly createdAt: string;
}

/** How a pending order's payment ended. */
export type Settlement =
  | { readonly status: 'paid'; readonly paymentId: string }
  | { readonly status: 'payment_failed'; readonly failureReason: string };

/** When the reconciliation looks at a pending order again: after `baseMs`, doubling per attempt up to `maxMs`. */
export interface RetryPolicy {
  /** Delay after the first check. */
  readonly baseMs: number;
  /** Longest delay between two checks. */
  readonly maxMs: number;
}

/** The delay before check number `attempts + 1` (attempts so far: 0 for the first retry). */
export function retryDelayMs(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempts, 20));
}

/**
 * Storage of orders. Implementations: {@link InMemoryOrderRepository} (the default) and `PostgresOrderRepository`
 * (`DATABASE_URL`), shared by every replica.
 */
export interface OrderRepository {
  /** Stores a new order (pending); the reconciliation first looks at it `firstCheckInMs` from now. */
  create(order: Order, firstCheckInMs: number): Promise<void>;
  /**
   * Settles a pending order; a settled order is never changed again.
   * @returns the order as stored afterwards, or undefined when there is no such order
   */
  settle(id: string, settlement: Settlement): Promise<Order | undefined>;
  /** @returns the order, or undefined */
  findById(id: string): Promise<Order | undefined>;
  /**
   * Claims up to `limit` pending orders whose check is due, moving their next check away by the retry policy, so that
   * other replicas skip them meanwhile and a payment-service outage is retried less and less often.
   */
  claimDue(limit: number, retry: RetryPolicy): Promise<Order[]>;
}

/**
 * Keeps orders in process memory: lost on restart and not shared between replicas.
 * Good for demonstrating the platform, not for production data.
 */
export class InMemoryOrderRepository implements OrderRepository {
  private readonly byId = new Map<string, Order>();
  /** Pending orders: when to check next, and how often they were checked. */
  private readonly checks = new Map<string, { dueAt: number; attempts: number }>();

  async create(order: Order, firstCheckInMs: number): Promise<void> {
    this.byId.set(order.id, order);
    if (order.status === 'pending') this.checks.set(order.id, { dueAt: Date.now() + firstCheckInMs, attempts: 0 });
  }

  async settle(id: string, settlement: Settlement): Promise<Order | undefined> {
    const order = this.byId.get(id);
    if (order?.status !== 'pending') return order;
    const settled: Order = { ...order, ...settlement };
    this.byId.set(id, settled);
    this.checks.delete(id);
    return settled;
  }

  async findById(id: string): Promise<Order | undefined> {
    return this.byId.get(id);
  }

  async claimDue(limit: number, retry: RetryPolicy): Promise<Order[]> {
    const now = Date.now();
    const due = [...this.checks].filter(([, check]) => check.dueAt <= now).sort((a, b) => a[1].dueAt - b[1].dueAt);
    return due.slice(0, limit).map(([id, check]) => {
      this.checks.set(id, { dueAt: now + retryDelayMs(retry, check.attempts), attempts: check.attempts + 1 });
      return this.byId.get(id)!;
    });
  }
}

/** Sum of quantity x unit price, in cents. */
export function totalCents(items: readonly OrderItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);
}
