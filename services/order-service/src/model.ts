/** One line of an order. Prices are integer cents: no float drift. */
export interface OrderItem {
  /** Stock keeping unit. */
  readonly sku: string;
  /** Units, >= 1. */
  readonly quantity: number;
  /** Unit price in cents. */
  readonly priceCents: number;
}

/** `paid`: payment-service charged the total; `payment_failed`: it answered but did not charge. */
export type OrderStatus = 'paid' | 'payment_failed';

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
  /** Outcome of the payment. */
  readonly status: OrderStatus;
  /** The payment, when paid. */
  readonly paymentId?: string;
  /** Why the payment failed, when it did. */
  readonly failureReason?: string;
  /** Creation time, ISO 8601. */
  readonly createdAt: string;
}

/** Storage of orders. Swap the implementation for a database without touching handlers. */
export interface OrderRepository {
  /** Stores an order. */
  save(order: Order): Promise<void>;
  /** @returns the order, or undefined */
  findById(id: string): Promise<Order | undefined>;
}

/**
 * Keeps orders in process memory: lost on restart and not shared between replicas.
 * Good for demonstrating the platform, not for production data.
 */
export class InMemoryOrderRepository implements OrderRepository {
  private readonly byId = new Map<string, Order>();

  async save(order: Order): Promise<void> {
    this.byId.set(order.id, order);
  }

  async findById(id: string): Promise<Order | undefined> {
    return this.byId.get(id);
  }
}

/** Sum of quantity x unit price, in cents. */
export function totalCents(items: readonly OrderItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);
}
