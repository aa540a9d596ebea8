import { type RunningService, getJson, postJson, startService, waitForLine } from './helpers/process';

/** The three services as real processes on loopback ports, wired the way the manifests wire them. */
describe('end to end: user-service, order-service and payment-service as processes', () => {
  let users: RunningService;
  let payments: RunningService;
  let orders: RunningService;

  beforeAll(async () => {
    [users, payments] = await Promise.all([startService('user-service'), startService('payment-service')]);
    orders = await startService('order-service', {
      USER_SERVICE_URL: users.url,
      PAYMENT_SERVICE_URL: payments.url,
      UPSTREAM_TIMEOUT_MS: '1500',
      SERVICE_VERSION: 'v9',
    });
  });
  afterAll(() => Promise.all([users, payments, orders].map((service) => service?.stop())));

  it('registers a user, places an order and records exactly one payment, tracing one request id across all three', async () => {
    const registered = await postJson(`${users.url}/users/register`, { name: 'Ann', email: 'ann@example.com' });
    expect(registered.status).toBe(201);

    const placed = await postJson(
      `${orders.url}/orders`,
      { userId: registered.body.id, items: [{ sku: 'book', quantity: 2, price: 12.35 }], currency: 'EUR' },
      { 'x-request-id': 'e2e-request-1' },
    );
    expect(placed.status).toBe(201);
    expect(placed.headers.get('x-service-version')).toBe('v9');
    expect(placed.body).toMatchObject({ status: 'paid', total: 24.7, currency: 'EUR' });

    const payment = await getJson(`${payments.url}/payments/${placed.body.paymentId}`);
    expect(payment.status).toBe(200);
    expect(payment.body).toMatchObject({ orderId: placed.body.id, amount: 24.7, currency: 'EUR', status: 'succeeded' });
    expect((await getJson(`${orders.url}/orders/${placed.body.id}`)).body).toEqual(placed.body);

    // Every service logged the request under the caller's id: the header was propagated on each hop.
    for (const service of [orders, users, payments]) {
      const line = await waitForLine(service, (text) => text.includes('"reqId":"e2e-request-1"') && text.includes('request completed'));
      expect(line).toBeDefined();
      expect(JSON.parse(line!)).toMatchObject({ level: 'info', statusCode: expect.any(Number) });
    }
  });

  it('answers bad input with 400 and a JSON error', async () => {
    const malformed = await postJson(`${users.url}/register`, '{"name":"Ann","email":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('Bad Request');
    const missing = await postJson(`${users.url}/register`, { name: 'Ann' });
    expect(missing.body).toEqual({ error: 'Bad Request', message: "body must have required property 'email'" });
    const badOrder = await postJson(`${orders.url}/orders`, { userId: 'u', items: [{ sku: 'a', quantity: 1, price: 'x' }] });
    expect(badOrder).toMatchObject({ status: 400, body: { error: 'Bad Request', message: 'body/items/0/price must be number' } });
  });

  it('answers 503 quickly once payment-service is stopped', async () => {
    const { body: user } = await postJson(`${users.url}/register`, { name: 'Bob', email: 'bob@example.com' });
    expect(await payments.stop()).toBe(0);

    const started = Date.now();
    const placed = await postJson(`${orders.url}/orders`, { userId: user.id, items: [{ sku: 'a', quantity: 1, price: 1 }] });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(placed.status).toBe(503);
    expect(placed.body).toEqual({ error: 'Service Unavailable', message: 'payment-service is unavailable (ECONNREFUSED)' });
  });
});
