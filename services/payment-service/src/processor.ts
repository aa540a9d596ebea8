import { randomUUID } from 'node:crypto';
import { type ChargeRequest, IdempotencyConflictError, type Payment, type PaymentRepository } from './model';
import type { PaymentProvider } from './provider';

/** The outcome of {@link PaymentProcessor.charge}. */
export interface ChargeResult {
  /** The payment. */
  readonly payment: Payment;
  /** True when an earlier or concurrent request with the same key made it. */
  readonly replayed: boolean;
}

function sameRequest(a: ChargeRequest, b: ChargeRequest): boolean {
  return a.orderId === b.orderId && a.amountCents === b.amountCents && a.currency === b.currency;
}

/**
 * Charges at most once per idempotency key. Requests with a key already stored get the stored payment; requests
 * arriving while a charge with their key is in flight wait for that same charge instead of starting another.
 * A failed charge is not stored, so a retry with the same key tries again.
 */
export class PaymentProcessor {
  private readonly inFlight = new Map<string, { request: ChargeRequest; result: Promise<ChargeResult> }>();

  /**
   * @param payments storage
   * @param provider where charges go
   */
  constructor(
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
  ) {}

  /**
   * Charges `request` unless `key` was used before.
   * @throws IdempotencyConflictError when `key` belongs to a different charge
   * @throws ProviderUnavailableError (from ./provider) when the provider failed (nothing stored)
   */
  async charge(key: string, request: ChargeRequest): Promise<ChargeResult> {
    const pending = this.inFlight.get(key);
    if (pending) {
      if (!sameRequest(pending.request, request)) throw new IdempotencyConflictError(key);
      return { payment: (await pending.result).payment, replayed: true };
    }
    // Registered synchronously, before any await, so a concurrent request with this key finds it.
    const result = this.chargeOnce(key, request);
    this.inFlight.set(key, { request, result });
    try {
      return await result;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** @returns the payment, or undefined */
  find(id: string): Promise<Payment | undefined> {
    return this.payments.findById(id);
  }

  private async chargeOnce(key: string, request: ChargeRequest): Promise<ChargeResult> {
    const stored = await this.payments.findByKey(key);
    if (stored) {
      if (!sameRequest(stored.request, request)) throw new IdempotencyConflictError(key);
      return { payment: stored.payment, replayed: true };
    }
    await this.provider.charge(request);
    const payment: Payment = {
      id: randomUUID(),
      ...request,
      status: 'succeeded',
      mode: this.provider.mode,
      createdAt: new Date().toISOString(),
    };
    await this.payments.save({ key, request, payment });
    return { payment, replayed: false };
  }
}
