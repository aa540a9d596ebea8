import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../kit/errors';
import { MAX_AMOUNT, fromCents, invalidAmountMessage, toCents } from '../../kit/money';
import { traceHeaders } from '../../kit/trace';
import { type Order, type OrderItem, type OrderRepository, type Settlement, totalCents } from './model';
import type { CallContext, PaymentCharger, UserLookup } from './upstream';

/** Body of `POST /orders`. */
export interface CreateOrderBody {
  /** The user who orders; must exist in user-service. */
  readonly userId: string;
  /** Lines, unit prices as decimal numbers with at most 2 decimals. */
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly price: number }[];
  /** ISO 4217 code. @default 'USD' (applied by the route schema) */
  readonly currency: string;
}

/** An order as the API shows it: amounts as decimal numbers. */
export type OrderView = Omit<Order, 'items' | 'totalCents'> & {
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly price: number }[];
  readonly total: number;
};

/** Converts a stored order to its API form. */
export function toOrderView({ items, totalCents: total, ...rest }: Order): OrderView {
  return {
    ...rest,
    items: items.map(({ priceCents, ...item }) => ({ ...item, price: fromCents(priceCents) })),
    total: fromCents(total),
  };
}

/** What the order handler calls. */
export interface OrderHandlerDeps {
  /** Storage. */
  readonly orders: OrderRepository;
  /** user-service. */
  readonly users: UserLookup;
  /** payment-service. */
  readonly payments: PaymentCharger;
  /** Deadline for all upstream calls of one order (`UPSTREAM_TIMEOUT_MS`). */
  readonly upstreamTimeoutMs: number;
}

/** Translates order-service's HTTP requests (validated by the route schemas) into upstream and repository calls. */
export class OrderHandler {
  /** @param deps storage, upstream services and deadline */
  constructor(private readonly deps: OrderHandlerDeps) {}

  /**
   * `POST /orders`: checks the user, stores the order as `pending`, charges the total with the order id as idempotency
   * key and settles the order. 201 with status `paid` or `payment_failed` (payment-service refused); 202 with the
   * pending order and `Location` when the charge's result is unknown (payment-service slow, down or failing): the
   * reconciliation settles it later. 400 when the total exceeds `MAX_AMOUNT`; 422 for an unknown user; 503/504 when
   * user-service or the database is down or slow (nothing stored or charged). Always within `upstreamTimeoutMs`.
   */
  readonly create = async (
    request: FastifyRequest<{ Body: CreateOrderBody }>,
    reply: FastifyReply,
  ): Promise<OrderView> => {
    const { userId, currency } = request.body;
    const items = request.body.items.map(toOrderItem);
    const total = totalCents(items);
    // payment-service would refuse it with 400: the caller's mistake, not a failed payment to store.
    if (total > MAX_AMOUNT * 100) {
      throw new HttpError(
        400,
        `the order total ${fromCents(total)} exceeds the largest amount payment-service accepts, ${MAX_AMOUNT}: split the order`,
      );
    }
    const context: CallContext = {
      headers: traceHeaders(request),
      signal: AbortSignal.timeout(this.deps.upstreamTimeoutMs),
    };
    if (!(await this.deps.users.exists(userId, context))) throw new HttpError(422, `user ${userId} does not exist`);

    const order: Order = {
      id: randomUUID(),
      userId,
      items,
      totalCents: total,
      currency,
      status: 'pending',
      createdAt: new Date().toISOString(),
    };
    // Stored before the charge, so an order whose payment may have happened is never lost; the reconciliation looks
    // at it once this request's deadline has passed.
    await this.deps.orders.create(order, this.deps.upstreamTimeoutMs);
    const outcome = await this.deps.payments.charge(order.id, fromCents(total), currency, context);
    if (outcome.status === 'unknown') return this.pending(order, outcome.reason, request, reply);
    const settlement: Settlement =
      outcome.status === 'paid'
        ? { status: 'paid', paymentId: outcome.paymentId }
        : { status: 'payment_failed', failureReason: outcome.reason };
    let settled: Order;
    try {
      settled = (await this.deps.orders.settle(order.id, settlement)) ?? order;
    } catch (error) {
      // The order is stored and the reconciliation will record the outcome: an error here would make the client
      // place the order again, and pay twice.
      return this.pending(order, `cannot record the payment outcome yet: ${(error as Error).message}`, request, reply);
    }
    if (settled.status === 'payment_failed') request.log.warn({ orderId: order.id, reason: settled.failureReason }, 'payment failed');
    reply.code(201);
    return toOrderView(settled);
  };

  /** 202 with the stored pending order and where to follow it. */
  private pending(order: Order, reason: string, request: FastifyRequest, reply: FastifyReply): OrderView {
    request.log.warn({ orderId: order.id, reason }, 'payment result unknown: order pending');
    // Relative to the request's URL, so it is right both behind the gateway (/api/orders) and inside the mesh.
    reply.code(202).header('location', `orders/${order.id}`);
    return toOrderView(order);
  }

  /** `GET /orders/:id`: the order (`pending`, `paid` or `payment_failed`), or 404. */
  readonly get = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<OrderView> => {
    const order = await this.deps.orders.findById(request.params.id);
    if (!order) throw new HttpError(404, `order ${request.params.id} not found`);
    return toOrderView(order);
  };
}

function toOrderItem(item: CreateOrderBody['items'][number], index: number): OrderItem {
  const priceCents = toCents(item.price);
  if (priceCents === undefined) throw new HttpError(400, invalidAmountMessage(`body/items/${index}/price`));
  return { sku: item.sku, quantity: item.quantity, priceCents };
}
