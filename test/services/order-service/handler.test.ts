import type { FastifyRequest } from 'fastify';
import { HttpError } from '../../../services/kit/errors';
import { type CreateOrderBody, OrderHandler } from '../../../services/order-service/src/handler';
import { InMemoryOrderRepository } from '../../../services/order-service/src/model';
import type { CallContext, ChargeOutcome } from '../../../services/order-service/src/upstream';
import { recordingReply } from '../helpers/reply';

/** Fakes of user-service and payment-service that record what the handler asked. */
function fakes(options: { userExists?: boolean; outcome?: ChargeOutcome; usersError?: HttpError } = {}) {
  const calls = { users: [] as string[], charges: [] as { orderId: string; amount: number; currency: string; context: CallContext }[] };
  const orders = new InMemoryOrderRepository();
  const handler = new OrderHandler({
    orders,
    users: {
      exists: async (userId) => {
        calls.users.push(userId);
        if (options.usersError) throw options.usersError;
        return options.userExists ?? true;
      },
    },
    payments: {
      charge: async (orderId, amount, currency, context) => {
        calls.charges.push({ orderId, amount, currency, context });
        return options.outcome ?? { status: 'paid', paymentId: 'pay-1' };
      },
      findByKey: async () => ({ status: 'absent' }),
    },
    upstreamTimeoutMs: 500,
  });
  return { handler, calls, orders };
}

const silentLog = { warn: () => undefined };
function createRequest(body: Partial<CreateOrderBody>, headers: Record<string, string> = {}) {
  return { body: { currency: 'USD', ...body }, headers, id: 'req-1', log: silentLog } as unknown as FastifyRequest<{
    Body: CreateOrderBody;
  }>;
}

const items = [
  { sku: 'apple', quantity: 3, price: 0.1 },
  { sku: 'pear', quantity: 1, price: 0.2 },
];

describe('OrderHandler', () => {
  it('checks the user, charges the exact total with the order id as key, and answers 201 paid', async () => {
    const { handler, calls } = fakes();
    const recorded = recordingReply();
    const order = await handler.create(createRequest({ userId: 'u1', items }, { traceparent: 'tp' }), recorded.reply);
    expect(recorded.statusCode).toBe(201);
    expect(order).toMatchObject({ userId: 'u1', items, total: 0.5, currency: 'USD', status: 'paid', paymentId: 'pay-1' });
    expect(calls.users).toEqual(['u1']);
    expect(calls.charges).toHaveLength(1);
    expect(calls.charges[0]).toMatchObject({ orderId: order.id, amount: 0.5, currency: 'USD' });
    expect(calls.charges[0].context.headers).toEqual({ traceparent: 'tp', 'x-request-id': 'req-1' });
    expect(await handler.get({ params: { id: order.id } } as FastifyRequest<{ Params: { id: string } }>)).toEqual(order);
  });

  it('stores and answers payment_failed with the reason when payment-service refuses', async () => {
    const reason = 'payment-service answered 422: Idempotency-Key was already used for a different charge';
    const { handler } = fakes({ outcome: { status: 'payment_failed', reason } });
    const recorded = recordingReply();
    const order = await handler.create(createRequest({ userId: 'u1', items }), recorded.reply);
    expect(recorded.statusCode).toBe(201);
    expect(order).toMatchObject({ status: 'payment_failed', failureReason: reason });
    expect(order).not.toHaveProperty('paymentId');
  });

  it('answers 202 with Location and stores the order pending when the charge result is unknown', async () => {
    const { handler, orders } = fakes({ outcome: { status: 'unknown', reason: 'payment-service did not answer in time' } });
    const recorded = recordingReply();
    const order = await handler.create(createRequest({ userId: 'u1', items }), recorded.reply);
    expect(recorded.statusCode).toBe(202);
    expect(recorded.headers).toEqual({ location: `orders/${order.id}` });
    expect(order).toMatchObject({ status: 'pending', total: 0.5 });
    expect(await orders.findById(order.id)).toMatchObject({ id: order.id, status: 'pending' });
  });

  it('answers 422 for an unknown user without charging', async () => {
    const { handler, calls } = fakes({ userExists: false });
    await expect(handler.create(createRequest({ userId: 'ghost', items }), recordingReply().reply)).rejects.toMatchObject({
      statusCode: 422,
      message: 'user ghost does not exist',
    });
    expect(calls.charges).toHaveLength(0);
  });

  it('answers 400 for a price with more than 2 decimals before calling anyone', async () => {
    const { handler, calls } = fakes();
    const bad = [items[0], { sku: 'x', quantity: 1, price: 0.125 }];
    await expect(handler.create(createRequest({ userId: 'u1', items: bad }), recordingReply().reply)).rejects.toMatchObject({
      statusCode: 400,
      message: 'body/items/1/price must be a positive amount with at most 2 decimal places, up to 10000000',
    });
    expect(calls.users).toHaveLength(0);
  });

  it('passes a dependency outage through as its 503', async () => {
    const { handler, calls } = fakes({ usersError: new HttpError(503, 'user-service is unavailable (ECONNREFUSED)') });
    await expect(handler.create(createRequest({ userId: 'u1', items }), recordingReply().reply)).rejects.toMatchObject({
      statusCode: 503,
    });
    expect(calls.charges).toHaveLength(0);
  });

  it('answers 404 for an unknown order', async () => {
    const { handler } = fakes();
    await expect(handler.get({ params: { id: 'o-404' } } as FastifyRequest<{ Params: { id: string } }>)).rejects.toMatchObject({
      statusCode: 404,
      message: 'order o-404 not found',
    });
  });
});
