import { HttpError } from '../../kit/errors';
import { errorMessageOf, type UpstreamClient, type UpstreamResponse } from '../../kit/upstream';

/** Per-order context for upstream calls: the trace headers to propagate and the order's deadline. */
export interface CallContext {
  /** From `traceHeaders(request)`. */
  readonly headers: Record<string, string>;
  /** Aborted when the order's deadline (`UPSTREAM_TIMEOUT_MS`) passes. */
  readonly signal: AbortSignal;
}

/** Tells whether a user exists. */
export interface UserLookup {
  /** @throws HttpError 503/504 when the answer cannot be had */
  exists(userId: string, context: CallContext): Promise<boolean>;
}

/** Asks user-service whether a user exists. */
export class UserDirectory implements UserLookup {
  /** @param client user-service */
  constructor(private readonly client: UpstreamClient) {}

  /**
   * @throws HttpError 503/504 when user-service is down, slow or answers anything but that user (200) or its JSON 404
   */
  async exists(userId: string, context: CallContext): Promise<boolean> {
    const response = await this.client.call({ path: `/users/${encodeURIComponent(userId)}`, ...context });
    // Only the user itself proves it exists: a 200 from a proxy's HTML page must not lead to a charge.
    if (response.status === 200 && (response.body as { id?: unknown } | undefined)?.id === userId) return true;
    if (response.status === 404 && errorMessageOf(response.body) !== undefined) return false;
    throw this.client.unexpectedAnswer(response);
  }
}

/**
 * What a charge attempt ended with. `unknown`: payment-service did not answer in time, could not be reached, or
 * answered a 5xx, a 409 (another replica's charge in flight) or not with its own JSON: the charge may have happened, so
 * the order stays pending and is settled later with the same idempotency key, never marked failed.
 */
export type ChargeOutcome =
  | { readonly status: 'paid'; readonly paymentId: string }
  | { readonly status: 'payment_failed'; readonly reason: string }
  | { readonly status: 'unknown'; readonly reason: string };

/** What looking a payment up by its idempotency key found. */
export type LookupOutcome =
  | { readonly status: 'paid'; readonly paymentId: string }
  | { readonly status: 'absent' }
  | { readonly status: 'unknown'; readonly reason: string };

/** Charges an order's total, and finds the payment made for an order. */
export interface PaymentCharger {
  /** Never throws: an answer that is no definite result is `unknown`. */
  charge(orderId: string, amount: number, currency: string, context: CallContext): Promise<ChargeOutcome>;
  /** Never throws: `absent` only when payment-service itself says it has no payment for that key. */
  findByKey(orderId: string, context: CallContext): Promise<LookupOutcome>;
}

/** Statuses of payment-service's own JSON errors that mean "this charge will not happen", not "try again". */
const DEFINITE_REFUSALS = new Set([400, 402, 403, 404, 422]);

/** Charges orders through payment-service. */
export class PaymentGateway implements PaymentCharger {
  /** @param client payment-service */
  constructor(private readonly client: UpstreamClient) {}

  /**
   * Charges once per order: the order id is the idempotency key, so retries (ours, the mesh's, the reconciliation's)
   * never charge twice.
   * @returns `paid`; `payment_failed` with payment-service's reason when it refused with a 4xx of its own; otherwise
   *   `unknown`
   */
  async charge(orderId: string, amount: number, currency: string, context: CallContext): Promise<ChargeOutcome> {
    const response = await this.send(context, {
      method: 'POST',
      path: '/payments',
      body: { orderId, amount, currency },
      headers: { ...context.headers, 'idempotency-key': orderId },
    });
    if ('reason' in response) return { status: 'unknown', reason: response.reason };
    const paymentId = (response.body as { id?: unknown } | undefined)?.id;
    if (response.status === 201 && typeof paymentId === 'string') return { status: 'paid', paymentId };
    const message = errorMessageOf(response.body);
    // A JSON error body means payment-service itself answered; anything else (Envoy's "no healthy upstream") is not.
    if (message !== undefined && DEFINITE_REFUSALS.has(response.status)) {
      return { status: 'payment_failed', reason: `payment-service answered ${response.status}: ${message}` };
    }
    return { status: 'unknown', reason: this.client.unexpectedAnswer(response).message };
  }

  /** `GET /payments?idempotencyKey=<orderId>`: whether payment-service has charged the order (without charging). */
  async findByKey(orderId: string, context: CallContext): Promise<LookupOutcome> {
    const response = await this.send(context, { path: `/payments?idempotencyKey=${encodeURIComponent(orderId)}`, headers: context.headers });
    if ('reason' in response) return { status: 'unknown', reason: response.reason };
    const payment = response.body as { id?: unknown; orderId?: unknown } | undefined;
    if (response.status === 200 && typeof payment?.id === 'string' && payment.orderId === orderId) {
      return { status: 'paid', paymentId: payment.id };
    }
    if (response.status === 404 && errorMessageOf(response.body) !== undefined) return { status: 'absent' };
    return { status: 'unknown', reason: this.client.unexpectedAnswer(response).message };
  }

  /** The answer, or why there is none (unreachable, timed out) as a reason. */
  private async send(
    context: CallContext,
    request: Omit<Parameters<UpstreamClient['call']>[0], 'signal'>,
  ): Promise<UpstreamResponse | { reason: string }> {
    try {
      return await this.client.call({ ...request, signal: context.signal });
    } catch (error) {
      if (error instanceof HttpError) return { reason: error.message };
      throw error;
    }
  }
}
