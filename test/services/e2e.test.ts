import { type TestPostgres, sharedPostgres } from '../support/postgres';
import { type RunningService, eventually, freePort, getJson, postJson, startReadyService, waitForLine } from './helpers/process';

// Each test starts several processes (and PostgreSQL): slow on a loaded 2-core machine, so a budget above the default.
jest.setTimeout(90_000);

/**
 * The three services as real processes on loopback ports, wired the way the manifests wire them: once with the
 * in-memory stores (the default), once with order-service and payment-service on a real PostgreSQL.
 */
describe.each([['in memory', false], ['on PostgreSQL', true]])('end to end, %s: user-service, order-service and payment-service as processes', (_storage, withDatabase) => {
  let postgres: TestPostgres | undefined;
  let users: RunningService;
  let payments: RunningService;
  let orders: RunningService;
  let paymentsEnv: Record<string, string>;

  beforeAll(async () => {
    const databases: Record<string, Record<string, string>> = { orders: {}, payments: {} };
    if (withDatabase) {
      postgres = await sharedPostgres();
      for (const name of ['orders', 'payments']) databases[name] = { DATABASE_URL: await postgres.createDatabase(name) };
    }
    // A fixed port, so that payment-service can come back at the address order-service calls.
    paymentsEnv = { PORT: String(await freePort()), ...databases.payments };
    [users, payments] = await Promise.all([startReadyService('user-service'), startReadyService('payment-service', paymentsEnv)]);
    orders = await startReadyService('order-service', {
      USER_SERVICE_URL: users.url,
      PAYMENT_SERVICE_URL: payments.url,
      UPSTREAM_TIMEOUT_MS: '1500',
      RECONCILE_INTERVAL_MS: '200',
      SERVICE_VERSION: 'v9',
      ...databases.orders,
    });
  }, 90_000);
  afterAll(async () => {
    await Promise.all([users, payments, orders].map((service) => service?.stop()));
    await postgres?.stop();
  });

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

  it('keeps the order pending (202, quickly) while payment-service is down, and settles it once it is back', async () => {
    const { body: user } = await postJson(`${users.url}/register`, { name: 'Bob', email: 'bob@example.com' });
    expect(await payments.stop()).toBe(0);

    const started = Date.now();
    const placed = await postJson(`${orders.url}/orders`, { userId: user.id, items: [{ sku: 'a', quantity: 1, price: 1 }] });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(placed).toMatchObject({ status: 202, body: { status: 'pending', total: 1 } });
    expect(placed.headers.get('location')).toBe(`orders/${placed.body.id}`);
    expect((await getJson(new URL(placed.headers.get('location')!, `${orders.url}/orders`).href)).body).toMatchObject({ status: 'pending' });

    payments = await startReadyService('payment-service', paymentsEnv);
    const settled = await eventually(
      () => getJson(`${orders.url}/orders/${placed.body.id}`),
      (order) => order.body.status !== 'pending',
    );
    expect(settled.body).toMatchObject({ status: 'paid', paymentId: expect.any(String) });
    const payment = await getJson(`${payments.url}/payments?idempotencyKey=${placed.body.id}`);
    expect(payment.body).toMatchObject({ id: settled.body.paymentId, orderId: placed.body.id, amount: 1 });
  });
});
