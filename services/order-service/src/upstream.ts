import { errorMessageOf, type UpstreamClient } from '../../kit/upstream';

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

/** What a charge attempt ended with. */
export type ChargeOutcome =
  | { readonly status: 'paid'; readonly paymentId: string }
  | { readonly status: 'payment_failed'; readonly reason: string };

/** Charges an order's total. */
export interface PaymentCharger {
  /** @throws HttpError 503/504 when the payment service is down or slow */
  charge(orderId: string, amount: number, currency: string, context: CallContext): Promise<ChargeOutcome>;
}

/** Charges orders through payment-service. */
export class PaymentGateway implements PaymentCharger {
  /** @param client payment-service */
  constructor(private readonly client: UpstreamClient) {}

  /**
   * Charges once per order: the order id is the idempotency key, so retries (ours or the mesh's) never charge twice.
   * @returns `paid`, or `payment_failed` with payment-service's reason when it answered with its own error
   * @throws HttpError 503/504 when payment-service is down or slow, or an answer comes from the mesh instead of it
   */
  async charge(orderId: string, amount: number, currency: string, context: CallContext): Promise<ChargeOutcome> {
    const response = await this.client.call({
      method: 'POST',
      path: '/payments',
      body: { orderId, amount, currency },
      headers: { ...context.headers, 'idempotency-key': orderId },
      signal: context.signal,
    });
    const paymentId = (response.body as { id?: unknown } | undefined)?.id;
    if (response.status === 201 && typeof paymentId === 'string') return { status: 'paid', paymentId };
    const message = errorMessageOf(response.body);
    // A JSON error body means payment-service itself refused; anything else (Envoy's "no healthy upstream") is an outage.
    if (message === undefined) throw this.client.unexpectedAnswer(response);
    return { status: 'payment_failed', reason: `payment-service answered ${response.status}: ${message}` };
  }
}
