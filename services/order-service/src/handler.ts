import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../kit/errors';
import { MAX_AMOUNT, fromCents, invalidAmountMessage, toCents } from '../../kit/money';
import { traceHeaders } from '../../kit/trace';
import { type Order, type OrderItem, type OrderRepository, totalCents } from './model';
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
   * `POST /orders`: checks the user, charges the total with the order id as idempotency key, stores the order.
   * 201 with status `paid` or `payment_failed`; 400 when the total exceeds `MAX_AMOUNT`; 422 for an unknown user;
   * 503/504 when a dependency is down or slow, always within `upstreamTimeoutMs`.
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

    const id = randomUUID();
    const outcome = await this.deps.payments.charge(id, fromCents(total), currency, context);
    const order: Order = {
      id,
      userId,
      items,
      totalCents: total,
      currency,
      ...(outcome.status === 'paid'
        ? { status: 'paid', paymentId: outcome.paymentId }
        : { status: 'payment_failed', failureReason: outcome.reason }),
      createdAt: new Date().toISOString(),
    };
    await this.deps.orders.save(order);
    if (outcome.status === 'payment_failed') request.log.warn({ orderId: id, reason: outcome.reason }, 'payment failed');
    reply.code(201);
    return toOrderView(order);
  };

  /** `GET /orders/:id`: the order, or 404. */
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
