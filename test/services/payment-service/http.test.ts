import { buildPaymentService } from '../../../services/payment-service/src/app';
import { loadConfig } from '../../../services/payment-service/src/config';
import { CountingProvider } from './fakes';

function start(provider = new CountingProvider(), env: Record<string, string> = {}) {
  const { app } = buildPaymentService(loadConfig({ LOG_LEVEL: 'silent', ...env }), { provider });
  return { app, provider };
}

const body = { orderId: 'order-1', amount: 19.99, currency: 'EUR' };

describe('payment-service over HTTP', () => {
  it('charges, answers 201 with the amount as sent, and serves GET /payments/:id', async () => {
    const { app, provider } = start();
    const created = await app.inject({
      method: 'POST',
      url: '/payments',
      payload: body,
      headers: { 'idempotency-key': 'k1' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['idempotent-replayed']).toBe('false');
    const payment = created.json();
    expect(payment).toMatchObject({ ...body, status: 'succeeded', mode: 'sandbox' });
    expect(provider.charges).toEqual([{ orderId: 'order-1', amountCents: 1999, currency: 'EUR' }]);

    const fetched = await app.inject({ url: `/payments/${payment.id}` });
    expect(fetched.json()).toEqual(payment);
    expect((await app.inject({ url: '/payments/unknown' })).json()).toEqual({
      error: 'Not Found',
      message: 'payment unknown not found',
    });
  });

  it('charges once when 25 retries with the same Idempotency-Key arrive concurrently', async () => {
    const { app, provider } = start(new CountingProvider(40));
    const responses = await Promise.all(
      Array.from({ length: 25 }, () =>
        app.inject({ method: 'POST', url: '/payments', payload: body, headers: { 'idempotency-key': 'retry-me' } }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(25).fill(201));
    expect(new Set(responses.map((response) => response.json().id)).size).toBe(1);
    expect(responses.filter((response) => response.headers['idempotent-replayed'] === 'true')).toHaveLength(24);
    expect(provider.charges).toHaveLength(1);
  });

  it('answers 503 for a simulated provider failure and lets the retry charge', async () => {
    const { app, provider } = start(new CountingProvider(0, 1));
    const send = () =>
      app.inject({ method: 'POST', url: '/payments', payload: body, headers: { 'idempotency-key': 'k' } });
    const failed = await send();
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toEqual({ error: 'Service Unavailable', message: 'service temporarily unavailable: retry later' });
    expect((await send()).statusCode).toBe(201);
    expect(provider.charges).toHaveLength(1);
  });

  it('fails every charge with FAILURE_RATE=1', async () => {
    const { app } = buildPaymentService(loadConfig({ LOG_LEVEL: 'silent', FAILURE_RATE: '1' }));
    const failed = await app.inject({ method: 'POST', url: '/payments', payload: body, headers: { 'idempotency-key': 'k' } });
    expect(failed.statusCode).toBe(503);
    expect(failed.json().message).toBe('service temporarily unavailable: retry later');
  });

  it('answers 422 when a key is reused for a different charge', async () => {
    const { app } = start();
    const send = (payload: object) =>
      app.inject({ method: 'POST', url: '/payments', payload, headers: { 'idempotency-key': 'same' } });
    await send(body);
    const reused = await send({ ...body, amount: 5 });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toEqual({
      error: 'Unprocessable Entity',
      message: 'Idempotency-Key same was already used for a different charge: use a new key',
    });
  });

  it.each([
    [body, {}, "headers must have required property 'idempotency-key'"],
    [{ ...body, amount: 0 }, { 'idempotency-key': 'k' }, 'body/amount must be a positive amount with at most 2 decimal places, up to 10000000'],
    [{ ...body, amount: -5 }, { 'idempotency-key': 'k' }, 'body/amount must be a positive amount with at most 2 decimal places, up to 10000000'],
    [{ ...body, amount: 1.005 }, { 'idempotency-key': 'k' }, 'body/amount must be a positive amount with at most 2 decimal places, up to 10000000'],
    [{ ...body, amount: '19.99' }, { 'idempotency-key': 'k' }, 'body/amount must be number'],
    [{ ...body, currency: 'eur' }, { 'idempotency-key': 'k' }, 'body/currency must match pattern "^[A-Z]{3}$"'],
    [{ ...body, currency: 'EURO' }, { 'idempotency-key': 'k' }, 'body/currency must match pattern "^[A-Z]{3}$"'],
    [{ amount: 1, currency: 'EUR' }, { 'idempotency-key': 'k' }, "body must have required property 'orderId'"],
  ])('answers 400 for %j with headers %j, charging nothing', async (payload, headers, message) => {
    const { app, provider } = start();
    const response = await app.inject({ method: 'POST', url: '/payments', payload, headers });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Bad Request', message });
    expect(provider.charges).toHaveLength(0);
  });
});
