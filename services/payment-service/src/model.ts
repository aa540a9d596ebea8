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

/**
 * Storage of payments, with a unique key per idempotency key. Implementations: {@link InMemoryPaymentRepository} (the
 * default) and `PostgresPaymentRepository` (`DATABASE_URL`), shared by every replica.
 */
export interface PaymentRepository extends KeyedPayments {
  /**
   * Runs `work` (look the key up, charge, save) while holding `key` exclusively in every process sharing this storage,
   * so concurrent retries on other replicas wait for the first charge and then find its payment. `work` gets the
   * storage to use meanwhile (with a database: the connection that holds the key).
   * @throws KeyInFlightError when the key stayed held longer than the storage waits
   */
  exclusively<T>(key: string, work: (payments: KeyedPayments) => Promise<T>): Promise<T>;
  /** @returns the payment, or undefined */
  findById(id: string): Promise<Payment | undefined>;
}

/** Payments by idempotency key. */
export interface KeyedPayments {
  /** Stores a payment under its idempotency key. */
  save(entry: KeyedPayment): Promise<void>;
  /** @returns the payment created under that key, or undefined */
  findByKey(key: string): Promise<KeyedPayment | undefined>;
}

/**
 * Keeps payments in process memory: lost on restart and not shared between replicas (so idempotency holds per pod),
 * and never evicted. Good for demonstrating the platform, not for real money.
 */
export class InMemoryPaymentRepository implements PaymentRepository {
  private readonly byKey = new Map<string, KeyedPayment>();
  private readonly byId = new Map<string, Payment>();

  /** One process only: the processor's in-flight map already lets one charge per key run at a time. */
  async exclusively<T>(_key: string, work: (payments: KeyedPayments) => Promise<T>): Promise<T> {
    return work(this);
  }

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

/** Another replica's charge with this key did not finish within the wait: the caller should retry with the same key. */
export class KeyInFlightError extends Error {
  /** @param key the busy key */
  constructor(readonly key: string) {
    super(`a charge with Idempotency-Key ${key} is still in progress: retry later with the same key`);
    this.name = 'KeyInFlightError';
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
