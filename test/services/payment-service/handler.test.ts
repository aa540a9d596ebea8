import type { FastifyRequest } from 'fastify';
import pino from 'pino';
import { type ChargeBody, type ChargeHeaders, PaymentHandler } from '../../../services/payment-service/src/handler';
import { InMemoryPaymentRepository, KeyInFlightError } from '../../../services/payment-service/src/model';
import { PaymentProcessor } from '../../../services/payment-service/src/processor';
import { recordingReply } from '../helpers/reply';
import { CountingProvider } from './fakes';

function chargeRequest(body: ChargeBody, key = 'key-1') {
  return { body, headers: { 'idempotency-key': key }, log: pino({ level: 'silent' }) } as unknown as FastifyRequest<{
    Body: ChargeBody;
    Headers: ChargeHeaders;
  }>;
}

function handlerWith(provider = new CountingProvider()) {
  return { handler: new PaymentHandler(new PaymentProcessor(new InMemoryPaymentRepository(), provider)), provider };
}

describe('PaymentHandler', () => {
  it('charges integer cents and answers 201 with the decimal amount; a replay says so in a header', async () => {
    const { handler, provider } = handlerWith();
    const first = recordingReply();
    const payment = await handler.create(chargeRequest({ orderId: 'o1', amount: 0.29, currency: 'EUR' }), first.reply);
    expect(first.statusCode).toBe(201);
    expect(first.headers).toEqual({ 'idempotent-replayed': 'false' });
    expect(payment).toMatchObject({ orderId: 'o1', amount: 0.29, currency: 'EUR', status: 'succeeded' });
    expect(provider.charges).toEqual([{ orderId: 'o1', amountCents: 29, currency: 'EUR' }]);

    const replay = recordingReply();
    expect(await handler.create(chargeRequest({ orderId: 'o1', amount: 0.29, currency: 'EUR' }), replay.reply)).toEqual(
      payment,
    );
    expect(replay.headers).toEqual({ 'idempotent-replayed': 'true' });
  });

  it('maps a reused key to 422, a provider failure to 503 and a bad amount to 400', async () => {
    const { handler } = handlerWith(new CountingProvider(0, 1));
    await expect(
      handler.create(chargeRequest({ orderId: 'o1', amount: 1, currency: 'EUR' }), recordingReply().reply),
    ).rejects.toMatchObject({ statusCode: 503, message: 'provider down' });
    await handler.create(chargeRequest({ orderId: 'o1', amount: 1, currency: 'EUR' }), recordingReply().reply);
    await expect(
      handler.create(chargeRequest({ orderId: 'o2', amount: 1, currency: 'EUR' }), recordingReply().reply),
    ).rejects.toMatchObject({ statusCode: 422 });
    await expect(
      handler.create(chargeRequest({ orderId: 'o3', amount: 0.001, currency: 'EUR' }, 'k3'), recordingReply().reply),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('finds a payment by its idempotency key, or answers 404', async () => {
    const { handler } = handlerWith();
    const payment = await handler.create(chargeRequest({ orderId: 'o1', amount: 2, currency: 'EUR' }, 'k1'), recordingReply().reply);
    const byKey = (idempotencyKey: string) =>
      handler.findByKey({ query: { idempotencyKey } } as unknown as FastifyRequest<{ Querystring: { idempotencyKey: string } }>);
    expect(await byKey('k1')).toEqual(payment);
    await expect(byKey('k2')).rejects.toMatchObject({ statusCode: 404, message: 'no payment with Idempotency-Key k2' });
  });

  it("answers 409 when another replica's charge with the key is still in flight", async () => {
    const repository = new InMemoryPaymentRepository();
    repository.exclusively = async (key) => {
      throw new KeyInFlightError(key);
    };
    const handler = new PaymentHandler(new PaymentProcessor(repository, new CountingProvider()));
    await expect(handler.create(chargeRequest({ orderId: 'o1', amount: 1, currency: 'EUR' }, 'busy'), recordingReply().reply)).rejects.toMatchObject({
      statusCode: 409,
      message: 'a charge with Idempotency-Key busy is still in progress: retry later with the same key',
    });
  });
});
