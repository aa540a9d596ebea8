import type { IncomingHttpHeaders } from 'node:http';
import { Writable } from 'node:stream';
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { Tracing } from '../../../services/kit/tracing/spans';
import { tracePropagator } from '../../../services/kit/tracing/sdk';
import { buildOrderService } from '../../../services/order-service/src/app';
import { loadConfig as loadOrderConfig } from '../../../services/order-service/src/config';
import { buildPaymentService } from '../../../services/payment-service/src/app';
import { loadConfig as loadPaymentConfig } from '../../../services/payment-service/src/config';
import { buildUserService } from '../../../services/user-service/src/app';
import { testConfig } from '../helpers/config';

const quiet = { LOG_LEVEL: 'silent' };
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracingOf = (service: string) => new Tracing(provider.getTracer(service), tracePropagator());
const closers: (() => Promise<unknown>)[] = [];
afterAll(() => Promise.all(closers.map((close) => close())));

/** Listens on a free loopback port and records the headers of every request it receives. */
async function listenRecording(app: FastifyInstance): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  app.addHook('onRequest', async (request) => void seen.push(request.headers));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return { url, seen };
}

/** A caller's context as Envoy sends it: W3C Trace Context and B3 naming the same span. */
const caller = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const incoming = {
  traceparent: `00-${caller.traceId}-${caller.spanId}-01`,
  tracestate: 'vendor=abc',
  'x-b3-traceid': caller.traceId,
  'x-b3-spanid': caller.spanId,
  'x-b3-sampled': '1',
  b3: `${caller.traceId}-${caller.spanId}-1`,
  'x-request-id': 'req-traced',
};

describe('the services record their own spans when given a tracer, and pass the context on', () => {
  let users: { url: string; seen: IncomingHttpHeaders[] };
  let payments: { url: string; seen: IncomingHttpHeaders[] };
  let orders: FastifyInstance;
  const logLines: string[] = [];
  let spans: ReadableSpan[];

  beforeAll(async () => {
    users = await listenRecording(buildUserService(testConfig(quiet), { tracing: tracingOf('user-service') }).app);
    payments = await listenRecording(buildPaymentService(loadPaymentConfig(quiet), { tracing: tracingOf('payment-service') }).app);
    const registered = await fetch(`${users.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ann', email: 'ann@example.com' }),
    });
    const { id: userId } = (await registered.json()) as { id: string };
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => done(void logLines.push(String(chunk))) }));
    const config = loadOrderConfig({ ...quiet, USER_SERVICE_URL: users.url, PAYMENT_SERVICE_URL: payments.url });
    orders = buildOrderService(config, { tracing: tracingOf('order-service'), logger }).app;
    closers.push(() => orders.close());
    exporter.reset();
    users.seen.length = payments.seen.length = 0;

    const placed = await orders.inject({
      method: 'POST',
      url: '/orders',
      headers: incoming,
      payload: { userId, items: [{ sku: 'book', quantity: 1, price: 5 }] },
    });
    expect(placed.statusCode).toBe(201);
    await orders.inject({ url: '/healthz' });
    spans = exporter.getFinishedSpans();
  });

  const spanNamed = (name: string, kind: SpanKind) => {
    const found = spans.filter((span) => span.name === name && span.kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it('makes one trace: the caller, order-service, its calls, and user-service and payment-service under them', () => {
    const order = spanNamed('POST /orders', SpanKind.SERVER);
    const userCall = spans.find((span) => span.kind === SpanKind.CLIENT && span.attributes['peer.service'] === 'user-service')!;
    const paymentCall = spans.find((span) => span.kind === SpanKind.CLIENT && span.attributes['peer.service'] === 'payment-service')!;
    const user = spanNamed('GET /users/:id', SpanKind.SERVER);
    const payment = spanNamed('POST /payments', SpanKind.SERVER);

    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([caller.traceId]));
    expect(parentOf(order)).toBe(caller.spanId);
    expect([parentOf(userCall), parentOf(paymentCall)]).toEqual([order.spanContext().spanId, order.spanContext().spanId]);
    expect(parentOf(user)).toBe(userCall.spanContext().spanId);
    expect(parentOf(payment)).toBe(paymentCall.spanContext().spanId);
    expect(spans).toHaveLength(5);
  });

  it('describes the spans with the HTTP semantic conventions', () => {
    expect(spanNamed('POST /orders', SpanKind.SERVER).attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/orders',
      'url.path': '/orders',
      'http.response.status_code': 201,
    });
    const userCall = spans.find((span) => span.attributes['peer.service'] === 'user-service')!;
    expect(userCall.name).toBe('GET');
    expect(userCall.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/users\/[0-9a-f-]+$/),
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
    });
  });

  it("sends the client span's context as W3C Trace Context and B3, keeping tracestate and x-request-id", () => {
    const paymentCall = spans.find((span) => span.attributes['peer.service'] === 'payment-service')!;
    const { spanId } = paymentCall.spanContext();
    expect(payments.seen).toHaveLength(1);
    expect(payments.seen[0]).toMatchObject({
      traceparent: `00-${caller.traceId}-${spanId}-01`,
      tracestate: 'vendor=abc',
      'x-b3-traceid': caller.traceId,
      'x-b3-spanid': spanId,
      'x-b3-sampled': '1',
      'x-request-id': 'req-traced',
    });
    // The caller's single-header B3 would name the wrong parent: it is replaced, not copied.
    expect(payments.seen[0].b3).toBeUndefined();
  });

  it('puts the trace id on the log lines of the request, and does not trace probes', () => {
    const completed = logLines.map((line) => JSON.parse(line)).find((line) => line.msg === 'request completed' && line.url === '/orders');
    expect(completed).toMatchObject({ traceId: caller.traceId, reqId: 'req-traced' });
    expect(spans.some((span) => span.name.includes('/healthz'))).toBe(false);
  });

  it('starts a new trace for a request without trace headers', async () => {
    exporter.reset();
    const response = await orders.inject({ url: '/orders/no-such-order' });
    expect(response.statusCode).toBe(404);
    const [span] = exporter.getFinishedSpans();
    expect(span).toMatchObject({ name: 'GET /orders/:id', parentSpanContext: undefined });
    expect(span.spanContext().traceId).not.toBe(caller.traceId);
  });
});
