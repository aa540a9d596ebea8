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
 * arriving while a charge with their key is in flight wait for that same charge instead of starting another: in this
 * process through the in-flight map (one storage round trip for any number of concurrent retries), across replicas
 * through the repository's exclusive hold on the key. A failed charge is not stored, so a retry with the same key
 * tries again.
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
   * @throws KeyInFlightError when another replica's charge with `key` outlasted the repository's wait
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

  /** @returns the payment created under `key`, or undefined (also while its charge is still in flight) */
  async findByKey(key: string): Promise<Payment | undefined> {
    return (await this.payments.findByKey(key))?.payment;
  }

  private chargeOnce(key: string, request: ChargeRequest): Promise<ChargeResult> {
    return this.payments.exclusively(key, async (payments) => {
      const stored = await payments.findByKey(key);
      if (stored) {
        if (!sameRequest(stored.request, request)) throw new IdempotencyConflictError(key);
        return { payment: stored.payment, replayed: true };
      }
      // The provider gets the key too: a charge sent by a process that died before saving it is sent again by the
      // retry, and a real provider (as Stripe does) answers a repeated key with the first charge instead of a second.
      await this.provider.charge(request, key);
      const payment: Payment = {
        id: randomUUID(),
        ...request,
        status: 'succeeded',
        mode: this.provider.mode,
        createdAt: new Date().toISOString(),
      };
      await payments.save({ key, request, payment });
      return { payment, replayed: false };
    });
  }
}
