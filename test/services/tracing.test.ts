/**
 * Traces for real: the three services as processes (order-service and payment-service on a real PostgreSQL) export
 * their spans to a real Jaeger (built by the toolchain from its Go module), and one order placed through order-service
 * arrives there as one trace whose parent/child chain runs order-service → user-service and → payment-service.
 * Skipped, saying why, when the toolchain has not built Jaeger (`npm run -s toolchain`); under CI=true that fails.
 * Also: without the OTEL_* variables, a service loads none of OpenTelemetry's SDK.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { type JaegerSpan, type JaegerTrace, type TestJaeger, startJaeger } from '../support/jaeger';
import { type TestPostgres, sharedPostgres } from '../support/postgres';
import { describeWithTools } from '../support/tools';
import { type RunningService, eventually, postJson, startReadyService, waitForLine } from './helpers/process';

jest.setTimeout(120_000);

describeWithTools(['jaeger'], 'one order through order-service is one trace in Jaeger, across order, user and payment', (tools) => {
  let backend: TestJaeger;
  let postgres: TestPostgres;
  let services: RunningService[] = [];
  let trace: JaegerTrace;

  beforeAll(async () => {
    [backend, postgres] = await Promise.all([startJaeger(tools.jaeger), sharedPostgres()]);
    const tracingEnv = (protocol: 'http/protobuf' | 'http/json' | 'grpc') => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? backend.otlpGrpcEndpoint : backend.otlpEndpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1',
      // The batch processor's standard variable: export within 200 ms instead of 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    // Each of OTLP's three transports: gRPC, HTTP with JSON, HTTP with protobuf (the default).
    const [users, payments] = await Promise.all([
      startReadyService('user-service', tracingEnv('grpc')),
      startReadyService('payment-service', { ...tracingEnv('http/json'), DATABASE_URL: await postgres.createDatabase('payments') }),
    ]);
    services = [users, payments];
    const orders = await startReadyService('order-service', {
      ...tracingEnv('http/protobuf'),
      USER_SERVICE_URL: users.url,
      PAYMENT_SERVICE_URL: payments.url,
      DATABASE_URL: await postgres.createDatabase('orders'),
      SERVICE_VERSION: 'v2',
    });
    services.push(orders);

    const { body: user } = await postJson(`${users.url}/register`, { name: 'Ann', email: 'ann@example.com' });
    const placed = await postJson(
      `${orders.url}/orders`,
      { userId: user.id, items: [{ sku: 'book', quantity: 2, price: 12.35 }] },
      { 'x-request-id': 'traced-order' },
    );
    expect(placed).toMatchObject({ status: 201, body: { status: 'paid' } });
    // The request started the trace in order-service; its log line names the trace.
    const line = await waitForLine(orders, (text) => text.includes('"reqId":"traced-order"') && text.includes('request completed'));
    const { traceId } = JSON.parse(line!) as { traceId: string };
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    trace = (await eventually(
      () => backend.trace(traceId),
      (found) => (found?.spans.length ?? 0) >= 5,
    ))!;
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await Promise.all([backend?.stop(), postgres?.stop()]);
  });

  const serviceOf = (span: JaegerSpan) => trace.processes[span.processID].serviceName;
  const tag = (span: JaegerSpan, key: string) => span.tags.find((candidate) => candidate.key === key)?.value;
  const parentOf = (span: JaegerSpan) => span.references.find((reference) => reference.refType === 'CHILD_OF')?.spanID;
  const only = (matches: (span: JaegerSpan) => boolean) => {
    const found = trace.spans.filter(matches);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const server = (service: string) => only((span) => serviceOf(span) === service && tag(span, 'span.kind') === 'server');
  const callTo = (service: string) => only((span) => tag(span, 'span.kind') === 'client' && tag(span, 'peer.service') === service);

  it('holds the spans of all three services, under their names and versions', () => {
    expect(trace.spans.map(serviceOf).sort()).toEqual(['order-service', 'order-service', 'order-service', 'payment-service', 'user-service']);
    const orderProcess = Object.values(trace.processes).find((process) => process.serviceName === 'order-service')!;
    expect(orderProcess.tags).toEqual(expect.arrayContaining([{ key: 'service.version', type: 'string', value: 'v2' }]));
  });

  it("chains them: order-service's server span, its client spans, and user-service's and payment-service's server spans under those", () => {
    const order = server('order-service');
    expect(order.operationName).toBe('POST /orders');
    expect(parentOf(order)).toBeUndefined();
    for (const [callee, operation] of [['user-service', 'GET /users/:id'], ['payment-service', 'POST /payments']]) {
      const call = callTo(callee);
      expect(serviceOf(call)).toBe('order-service');
      expect(parentOf(call)).toBe(order.spanID);
      const served = server(callee);
      expect(served.operationName).toBe(operation);
      expect(parentOf(served)).toBe(call.spanID);
      expect(served.traceID).toBe(order.traceID);
    }
  });

  it('describes the spans with the HTTP semantic conventions', () => {
    expect(tag(server('payment-service'), 'http.route')).toBe('/payments');
    expect(tag(server('payment-service'), 'http.response.status_code')).toBe(201);
    expect(tag(callTo('payment-service'), 'http.request.method')).toBe('POST');
    expect(tag(callTo('user-service'), 'url.full')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/users\//);
  });
});

describe('without OTEL_* variables, no part of the OpenTelemetry SDK is loaded', () => {
  /** The OpenTelemetry packages a service's process has loaded once it listens. */
  function loadedOpenTelemetry(env: Record<string, string>): string[] {
    const script = `
      require('./services/user-service/src/main.ts');
      setTimeout(() => {
        const packages = Object.keys(require.cache).map((file) => /node_modules\\/(@opentelemetry\\/[^/]+)/.exec(file)?.[1]).filter(Boolean);
        console.log(JSON.stringify([...new Set(packages)].sort()));
        process.exit(0);
      }, 1500);`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: resolve(__dirname, '../..'),
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
    });
    return JSON.parse(output.trim().split('\n').pop()!) as string[];
  }

  it('loads only the API without a backend, and the SDK and an exporter with one', () => {
    const without = loadedOpenTelemetry({});
    expect(without).not.toContain('@opentelemetry/sdk-trace-base');
    expect(without.filter((name) => name.includes('exporter') || name.includes('sdk'))).toEqual([]);
    // The same probe sees the SDK when a backend is configured (nothing needs to listen there to start).
    const configured = loadedOpenTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(configured).toEqual(expect.arrayContaining(['@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-proto']));
  });
});
