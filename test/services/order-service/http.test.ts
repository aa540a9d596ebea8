import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildOrderService } from '../../../services/order-service/src/app';
import { loadConfig as loadOrderConfig } from '../../../services/order-service/src/config';
import { buildPaymentService } from '../../../services/payment-service/src/app';
import { loadConfig as loadPaymentConfig } from '../../../services/payment-service/src/config';
import { buildUserService } from '../../../services/user-service/src/app';
import { testConfig } from '../helpers/config';

const quiet = { LOG_LEVEL: 'silent' };
const closers: (() => Promise<unknown>)[] = [];
afterAll(() => Promise.all(closers.map((close) => close())));

/** Listens on a free loopback port and records the headers of every request it receives. */
async function listenRecording(app: FastifyInstance): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  app.addHook('onRequest', async (request) => {
    seen.push(request.headers);
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return { url, seen };
}

/** A bare HTTP server standing in for a broken dependency. */
async function fakeUpstream(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  closers.push(async () => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An order-service; its upstream deadline is generous (a loaded machine is slow), except where a test hangs on purpose. */
function orderApp(env: Record<string, string>) {
  const { app } = buildOrderService(loadOrderConfig({ ...quiet, UPSTREAM_TIMEOUT_MS: '5000', ...env }));
  closers.push(() => app.close());
  return app;
}

/** Places an order that ends pending (202) and checks its Location and stored state. */
async function expectPending(app: FastifyInstance, userId: string) {
  const response = await app.inject({ method: 'POST', url: '/orders', payload: { userId, items } });
  expect(response.statusCode).toBe(202);
  const order = response.json();
  expect(order).toMatchObject({ status: 'pending', total: 0.5 });
  expect(response.headers.location).toBe(`orders/${order.id}`);
  expect((await app.inject({ url: `/orders/${order.id}` })).json()).toEqual(order);
  return order;
}

const trace = {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  tracestate: 'vendor=abc',
  'x-b3-traceid': '4bf92f3577b34da6a3ce929d0e0e4736',
  'x-b3-spanid': '00f067aa0ba902b7',
  'x-b3-parentspanid': '0000000000000001',
  'x-b3-sampled': '1',
  'x-b3-flags': '0',
  b3: '4bf92f3577b34da6-00f067aa0ba902b7-1',
  'x-request-id': 'req-from-envoy',
};
const items = [
  { sku: 'apple', quantity: 3, price: 0.1 },
  { sku: 'pear', quantity: 1, price: 0.2 },
];

describe('order-service over HTTP, with user-service and payment-service on loopback', () => {
  let users: { url: string; seen: IncomingHttpHeaders[] };
  let payments: { url: string; seen: IncomingHttpHeaders[] };
  let userId: string;

  beforeAll(async () => {
    users = await listenRecording(buildUserService(testConfig(quiet)).app);
    payments = await listenRecording(buildPaymentService(loadPaymentConfig(quiet)).app);
    const registered = await fetch(`${users.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ann', email: 'ann@example.com' }),
    });
    userId = ((await registered.json()) as { id: string }).id;
  });

  it('places a paid order, propagating every trace header to both calls and keying the payment by order id', async () => {
    const app = orderApp({ USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: payments.url });
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { userId, items }, headers: trace });
    expect(response.statusCode).toBe(201);
    const order = response.json();
    expect(order).toMatchObject({ userId, items, total: 0.5, currency: 'USD', status: 'paid' });

    const userCall = users.seen.at(-1)!;
    const paymentCall = payments.seen.at(-1)!;
    expect(userCall).toMatchObject(trace);
    expect(paymentCall).toMatchObject({ ...trace, 'idempotency-key': order.id });

    const payment = await (await fetch(`${payments.url}/payments/${order.paymentId}`)).json();
    expect(payment).toMatchObject({ orderId: order.id, amount: 0.5, currency: 'USD', status: 'succeeded' });
    expect((await app.inject({ url: `/orders/${order.id}` })).json()).toEqual(order);
  });

  it('sends a generated x-request-id when the caller sent none, the same on both calls', async () => {
    const app = orderApp({ USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: payments.url });
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { userId, items } });
    expect(response.statusCode).toBe(201);
    const generated = payments.seen.at(-1)!['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(users.seen.at(-1)!['x-request-id']).toBe(generated);
  });

  it('answers 422 for a user that user-service does not know', async () => {
    const app = orderApp({ USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: payments.url });
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { userId: 'ghost', items } });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({ error: 'Unprocessable Entity', message: 'user ghost does not exist' });
  });

  it('answers 201 payment_failed when payment-service refuses with a 4xx of its own', async () => {
    const refusing = await fakeUpstream((_request, response) => {
      response.writeHead(422, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'Unprocessable Entity', message: 'key used for a different charge' }));
    });
    const app = orderApp({ USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: refusing });
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { userId, items } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      status: 'payment_failed',
      failureReason: 'payment-service answered 422: key used for a different charge',
    });
  });

  it('answers 202 pending, never payment_failed, when payment-service answers a 5xx of its own', async () => {
    const failing = await fakeUpstream((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'Service Unavailable', message: 'payment provider unavailable' }));
    });
    await expectPending(orderApp({ USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: failing }), userId);
  });

  it.each([
    ['an HTML page', 'text/html', '<html>maintenance</html>'],
    ['JSON about another user', 'application/json', '{"id":"someone-else"}'],
  ])('answers 503, charging nothing, when user-service answers 200 with %s', async (_case, contentType, body) => {
    const garbled = await fakeUpstream((_request, response) => response.writeHead(200, { 'content-type': contentType }).end(body));
    const charges = payments.seen.length;
    const app = orderApp({ USER_SERVICE_URL: garbled, PAYMENT_SERVICE_URL: payments.url });
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { userId, items } });
    expect(response.statusCode).toBe(503);
    // What user-service answered stays in the log: a proxy's page is no business of the caller's.
    expect(response.json()).toEqual({ error: 'Service Unavailable', message: 'service temporarily unavailable: retry later' });
    expect(payments.seen.length).toBe(charges);
  });

  it('answers 400, calling nobody and storing nothing, when the order total exceeds what payment-service accepts', async () => {
    const before = { users: users.seen.length, payments: payments.seen.length };
    const app = orderApp({ USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: payments.url });
    // Each line is valid (price <= 10000000), but the total is 20000000.
    const payload = { userId, items: [{ sku: 'yacht', quantity: 2, price: 10_000_000 }] };
    const response = await app.inject({ method: 'POST', url: '/orders', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Bad Request',
      message: 'the order total 20000000 exceeds the largest amount payment-service accepts, 10000000: split the order',
    });
    expect({ users: users.seen.length, payments: payments.seen.length }).toEqual(before);
  });

  it('answers 202 pending when the mesh reports payment-service has no healthy upstream', async () => {
    const mesh = await fakeUpstream((_request, response) => response.writeHead(503).end('no healthy upstream'));
    await expectPending(orderApp({ USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: mesh }), userId);
  });

  it('answers 202 pending within UPSTREAM_TIMEOUT_MS when payment-service hangs', async () => {
    const hanging = await fakeUpstream(() => undefined);
    const app = orderApp({ USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: hanging, UPSTREAM_TIMEOUT_MS: '300' });
    const started = Date.now();
    await expectPending(app, userId);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
  });

  it('answers a generic 503, naming no dependency, when user-service cannot be reached', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const nobodyListens = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((done) => server.close(done));
    const app = orderApp({ USER_SERVICE_URL: nobodyListens, PAYMENT_SERVICE_URL: payments.url });
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { userId, items } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      error: 'Service Unavailable',
      message: 'service temporarily unavailable: retry later',
    });
  });

  it.each([
    [{ items }, "body must have required property 'userId'"],
    [{ userId: 'u', items: [] }, 'body/items must NOT have fewer than 1 items'],
    [{ userId: 'u', items: [{ sku: 'a', quantity: 0, price: 1 }] }, 'body/items/0/quantity must be >= 1'],
    [{ userId: 'u', items: [{ sku: 'a', quantity: 1.5, price: 1 }] }, 'body/items/0/quantity must be integer'],
    [{ userId: 'u', items: [{ sku: 'a', quantity: 1 }] }, "body/items/0 must have required property 'price'"],
    [{ userId: 'u', items: [{ sku: 'a', quantity: 1, price: -1 }] }, 'body/items/0/price must be a positive amount with at most 2 decimal places, up to 10000000'],
    [{ userId: 'u', items, currency: 'usd' }, 'body/currency must match pattern "^[A-Z]{3}$"'],
  ])('answers 400 for %j without calling anyone', async (payload, message) => {
    const before = users.seen.length;
    const app = orderApp({ USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: payments.url });
    const response = await app.inject({ method: 'POST', url: '/orders', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Bad Request', message });
    expect(users.seen.length).toBe(before);
  });

  it('answers 404 for an unknown order', async () => {
    const app = orderApp({ USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: payments.url });
    expect((await app.inject({ url: '/orders/nope' })).json()).toEqual({ error: 'Not Found', message: 'order nope not found' });
  });
});
