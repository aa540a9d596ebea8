import { type TestPostgres, sharedPostgres } from '../../support/postgres';
import { type RunningService, eventually, getJson, postJson, startReadyService, startService } from '../helpers/process';

// Each test starts several processes (and PostgreSQL): slow on a loaded 2-core machine, so a budget above the default.
jest.setTimeout(90_000);

/** order-service and payment-service as processes on a real PostgreSQL, payment-service slower than every deadline. */
describe('orders whose charge outlives the deadline, on PostgreSQL', () => {
  let postgres: TestPostgres;
  let users: RunningService;
  let payments: RunningService;
  const running: RunningService[] = [];
  let ordersUrl: string;
  let userId: string;
  const startOrders = async () => {
    const service = await startReadyService('order-service', {
      DATABASE_URL: ordersUrl,
      USER_SERVICE_URL: users.url,
      PAYMENT_SERVICE_URL: payments.url,
      UPSTREAM_TIMEOUT_MS: '400',
      RECONCILE_INTERVAL_MS: '200',
      // Shorter than a charge too: settling must not depend on waiting for one.
      RECONCILE_TIMEOUT_MS: '300',
    });
    running.push(service);
    return service;
  };

  beforeAll(async () => {
    postgres = await sharedPostgres();
    ordersUrl = await postgres.createDatabase('orders');
    const paymentsUrl = await postgres.createDatabase('payments');
    [users, payments] = await Promise.all([
      startReadyService('user-service'),
      startReadyService('payment-service', { DATABASE_URL: paymentsUrl, LATENCY_MS: '1500' }),
    ]);
    running.push(users, payments);
    userId = (await postJson(`${users.url}/register`, { name: 'Ann', email: 'ann@example.com' })).body.id as string;
  }, 90_000);
  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await postgres?.stop();
  });

  it('answers 202 pending, survives a restart of order-service, and is settled paid by two replicas with one charge', async () => {
    const first = await startOrders();
    const placed = await postJson(`${first.url}/orders`, { userId, items: [{ sku: 'slow', quantity: 3, price: 2.5 }], currency: 'EUR' });
    expect(placed).toMatchObject({ status: 202, body: { status: 'pending', total: 7.5 } });
    const id = placed.body.id as string;
    expect(placed.headers.get('location')).toBe(`orders/${id}`);
    expect((await getJson(`${first.url}/orders/${id}`)).body).toMatchObject({ id, status: 'pending' });
    expect(await first.stop()).toBe(0);

    // Two replicas on the same database: the stored order is there, and whichever reconciles it settles it.
    const [a, b] = await Promise.all([startOrders(), startOrders()]);
    expect((await getJson(`${a.url}/orders/${id}`)).body).toMatchObject({ id, total: 7.5 });
    const settled = await eventually(() => getJson(`${b.url}/orders/${id}`), (order) => order.body.status !== 'pending');
    expect(settled.body).toMatchObject({ status: 'paid', paymentId: expect.any(String) });
    expect((await getJson(`${a.url}/orders/${id}`)).body).toEqual(settled.body);

    const payment = await getJson(`${payments.url}/payments?idempotencyKey=${id}`);
    expect(payment.body).toMatchObject({ id: settled.body.paymentId, orderId: id, amount: 7.5, currency: 'EUR' });
    const charges = payments.output().split('\n').filter((line) => line.includes('"msg":"payment charged"') && line.includes(id));
    expect(charges).toHaveLength(1);
    expect(await postgres.query('orders', 'SELECT status, payment_id FROM orders WHERE id = $1', [id])).toEqual([
      { status: 'paid', payment_id: settled.body.paymentId },
    ]);
  });
});

describe('order-service with an unreachable database', () => {
  it('answers callers a generic JSON 503 that names no host, and keeps the detail in its log', async () => {
    const service = await startService('order-service', { DATABASE_URL: 'postgres://app:s3cret-pw@127.0.0.1:1/orders' });
    const answer = await getJson(`${service.url}/orders/00000000-0000-4000-8000-000000000000`);
    expect(answer).toEqual({ status: 503, body: { error: 'Service Unavailable', message: 'service temporarily unavailable: retry later' } });
    expect(await service.stop()).toBe(0);
    const logged = service.output().split('\n').find((line) => line.includes('"msg":"dependency failed"'));
    expect(logged).toContain('database orders on 127.0.0.1:1 is unavailable');
    expect(service.output()).not.toContain('s3cret-pw');
  });
});
