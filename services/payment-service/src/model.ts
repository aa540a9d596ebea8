/** A successful charge. Amounts are integer cents: no float drift. */
export interface Payment {
  /** Assigned on charge (UUID). */
  readonly id: string;
  /** The order paid for. */
  readonly orderId: string;
  /** Amount charged, in cents. */
  readonly amountCents: number;
  /** ISO 4217 code, e.g. `EUR`. */
  readonly currency: string;
  /** Always `succeeded`: failed charges are not recorded, so they can be retried. */
  readonly status: 'succeeded';
  /** `live` when a provider API key is configured, else `sandbox`. */
  readonly mode: ProviderMode;
  /** Charge time, ISO 8601. */
  readonly createdAt: string;
}

/** What a caller asks to charge. */
export interface ChargeRequest {
  /** The order paid for. */
  readonly orderId: string;
  /** Amount in cents, > 0. */
  readonly amountCents: number;
  /** ISO 4217 code. */
  readonly currency: string;
}

/** Whether charges reach a real provider account. */
export type ProviderMode = 'sandbox' | 'live';

/** A payment stored with the idempotency key it was created under. */
export interface KeyedPayment {
  /** The `Idempotency-Key` header of the request that created it. */
  readonly key: string;
  /** The request, to detect a key reused for a different charge. */
  readonly request: ChargeRequest;
  /** The payment. */
  readonly payment: Payment;
}

/** Storage of payments. Swap the implementation for a database (with a unique index on the key) without touching handlers. */
export interface PaymentRepository {
  /** Stores a payment under its idempotency key. */
  save(entry: KeyedPayment): Promise<void>;
  /** @returns the payment created under that key, or undefined */
  findByKey(key: string): Promise<KeyedPayment | undefined>;
  /** @returns the payment, or undefined */
  findById(id: string): Promise<Payment | undefined>;
}

/**
 * Keeps payments in process memory: lost on restart and not shared between replicas (so idempotency holds per pod),
 * and never evicted. Good for demonstrating the platform, not for real money.
 */
export class InMemoryPaymentRepository implements PaymentRepository {
  private readonly byKey = new Map<string, KeyedPayment>();
  private readonly byId = new Map<string, Payment>();

  async save(entry: KeyedPayment): Promise<void> {
    this.byKey.set(entry.key, entry);
    this.byId.set(entry.payment.id, entry.payment);
  }

  async findByKey(key: string): Promise<KeyedPayment | undefined> {
    return this.byKey.get(key);
  }

  async findById(id: string): Promise<Payment | undefined> {
    return this.byId.get(id);
  }
}

/** An `Idempotency-Key` was reused for a different charge. */
export class IdempotencyConflictError extends Error {
  /** @param key the reused key */
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different charge: use a new key`);
    this.name = 'IdempotencyConflictError';
  }
}
