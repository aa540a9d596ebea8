import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { fromCents } from '../../kit/money';
import type { Order, OrderRepository, RetryPolicy, Settlement } from './model';
import type { CallContext, PaymentCharger } from './upstream';

/** What {@link Reconciler} needs. */
export interface ReconcilerOptions {
  /** Where pending orders are. */
  readonly orders: OrderRepository;
  /** payment-service. */
  readonly payments: PaymentCharger;
  /** Time between two rounds, and the first retry delay of an order (`RECONCILE_INTERVAL_MS`). */
  readonly intervalMs: number;
  /** Deadline of the calls made to settle one order (`RECONCILE_TIMEOUT_MS`). */
  readonly timeoutMs: number;
  /** Where settlements and failures are logged. */
  readonly logger: FastifyBaseLogger;
}

/** Pending orders settled per round and replica. */
const BATCH_SIZE = 20;
/** Longest delay between two checks of one order while payment-service keeps failing. */
const MAX_RETRY_MS = 5 * 60_000;

/**
 * Settles pending orders in the background, on every replica: each round claims the due orders (a claim moves the
 * next check away, so replicas do not work on the same order at once) and, per order, asks payment-service for the
 * payment made under the order id as idempotency key. Found: `paid`. None: the charge is sent again with the same key
 * and body (payment-service charges at most once per key, or joins the charge in flight). A definite refusal:
 * `payment_failed`. Anything else leaves the order pending for a later round. Because the lookup does not wait for a
 * charge, an order settles even when charges take longer than every deadline: the charge completes in payment-service
 * after the call gave up, and the next lookup finds it.
 */
export class Reconciler {
  private readonly retry: RetryPolicy;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private stopped = false;

  /** @param options storage, payment-service, timing and logger */
  constructor(private readonly options: ReconcilerOptions) {
    this.retry = { baseMs: options.intervalMs, maxMs: Math.max(MAX_RETRY_MS, options.intervalMs) };
  }

  /** Starts the rounds; they never keep the process alive on their own. */
  start(): void {
    this.schedule();
  }

  /** Stops scheduling rounds and waits for the one running. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /** One round: claims due orders and tries to settle each. @returns how many it settled */
  async runOnce(): Promise<number> {
    const due = await this.options.orders.claimDue(BATCH_SIZE, this.retry);
    let settled = 0;
    for (const order of due) {
      if ((await this.settle(order)).status !== 'pending') settled += 1;
    }
    return settled;
  }

  /** Tries to settle one pending order. @returns the order as it stands afterwards */
  async settle(order: Order): Promise<Order> {
    const context: CallContext = {
      headers: { 'x-request-id': randomUUID() },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    };
    const { payments, logger } = this.options;
    let settlement: Settlement | undefined;
    let reason: string | undefined;
    const found = await payments.findByKey(order.id, context);
    if (found.status === 'paid') settlement = { status: 'paid', paymentId: found.paymentId };
    else if (found.status === 'unknown') reason = found.reason;
    else {
      const outcome = await payments.charge(order.id, fromCents(order.totalCents), order.currency, context);
      if (outcome.status === 'paid') settlement = { status: 'paid', paymentId: outcome.paymentId };
      else if (outcome.status === 'payment_failed') settlement = { status: 'payment_failed', failureReason: outcome.reason };
      else reason = outcome.reason;
    }
    if (!settlement) {
      logger.warn({ orderId: order.id, reason }, 'pending order not settled yet: will retry');
      return order;
    }
    const settled = (await this.options.orders.settle(order.id, settlement)) ?? order;
    logger.info({ orderId: order.id, status: settled.status, paymentId: settled.paymentId }, 'pending order settled');
    return settled;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'reconciliation round failed: will retry'))
        .finally(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
