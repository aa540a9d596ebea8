import pino from 'pino';
import { HttpError } from '../../../services/kit/errors';
import { PROCESS_METRICS } from '../../../services/kit/metric-vocabulary';
import { createService } from '../../../services/kit/service';
import { testConfig } from '../helpers/config';

/** Log lines written by a {@link buildApp} service. */
const logged: string[] = [];

function buildApp() {
  const service = createService({
    name: 'demo-service',
    config: testConfig({ SERVICE_VERSION: 'v7' }),
    logger: pino({ level: 'info' }, { write: (line: string) => logged.push(line) }),
    processMetrics: false,
  });
  service.app.get('/boom', async () => {
    throw new Error('database password is hunter2');
  });
  service.app.get('/teapot', async () => {
    throw new HttpError(503, 'database orders on db.internal:5432 is unavailable (ECONNREFUSED)');
  });
  service.app.get('/slow', async () => {
    throw new HttpError(504, 'user-service did not answer in time');
  });
  service.app.post(
    '/echo',
    { schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } } } },
    async (request) => request.body,
  );
  return service;
}

describe('createService', () => {
  it('answers the probes and stamps x-service-version on every response, 404s included', async () => {
    const { app } = buildApp();
    const health = await app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    expect(health.headers['x-service-version']).toBe('v7');

    const missing = await app.inject({ url: '/nowhere?x=1', headers: { 'x-request-id': 'req-42' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'Not Found', message: 'route GET /nowhere not found' });
    expect(missing.headers['x-service-version']).toBe('v7');
  });

  it('answers a known path with an unsupported method 405, naming the allowed methods', async () => {
    const { app } = buildApp();
    const response = await app.inject({ method: 'DELETE', url: '/echo?x=1' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(response.json()).toEqual({ error: 'Method Not Allowed', message: 'DELETE is not allowed on /echo; use POST' });
    expect((await app.inject({ method: 'POST', url: '/healthz' })).headers.allow).toBe('GET, HEAD');
  });

  it('turns /readyz to 503 once shutdown starts, while /healthz stays 200', async () => {
    const { app, readiness } = buildApp();
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    readiness.startShutdown();
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ error: 'Service Unavailable', message: 'shutting down' });
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('answers errors as { error, message }, hiding the details of every 5xx (kept in the log)', async () => {
    const { app } = buildApp();
    const boom = await app.inject({ url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toEqual({ error: 'Internal Server Error', message: 'internal server error' });
    expect(boom.body).not.toContain('hunter2');

    const teapot = await app.inject({ url: '/teapot' });
    expect(teapot.statusCode).toBe(503);
    expect(teapot.json()).toEqual({ error: 'Service Unavailable', message: 'service temporarily unavailable: retry later' });
    const slow = await app.inject({ url: '/slow' });
    expect(slow.json()).toEqual({ error: 'Gateway Timeout', message: 'a dependency did not answer in time: retry later' });
    for (const detail of ['database password is hunter2', 'db.internal:5432', 'user-service did not answer in time']) {
      expect(logged.some((line) => line.includes(detail))).toBe(true);
    }
  });

  it('rejects malformed JSON, wrong types (no coercion) and other content types with 4xx JSON errors', async () => {
    const { app } = buildApp();
    const post = (payload: string, contentType = 'application/json') =>
      app.inject({ method: 'POST', url: '/echo', payload, headers: { 'content-type': contentType } });

    expect((await post('{"n":')).json()).toEqual({
      error: 'Bad Request',
      message: "Body is not valid JSON but content-type is set to 'application/json'",
    });
    const coerced = await post('{"n":"12"}');
    expect(coerced.statusCode).toBe(400);
    expect(coerced.json()).toEqual({ error: 'Bad Request', message: 'body/n must be number' });
    const text = await post('n=12', 'application/x-www-form-urlencoded');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual({
      error: 'Unsupported Media Type',
      message: 'content-type must be application/json',
    });
  });

  it('answers text/plain bodies 415 like every other non-JSON content type, even when the text is JSON', async () => {
    const { app } = buildApp();
    const response = await app.inject({ method: 'POST', url: '/echo', payload: '{"n":12}', headers: { 'content-type': 'text/plain' } });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ error: 'Unsupported Media Type', message: 'content-type must be application/json' });
  });

  it.each([
    ['an undecodable URL', '/users/%', 400, "'/users/%' is not a valid url component"],
    ['a path parameter over 100 characters', `/users/${'x'.repeat(101)}`, 414, `'/users/${'x'.repeat(101)}' is exceeding the max param length`],
  ])('answers %s with the kit error body, x-service-version and a metric', async (_case, url, status, message) => {
    const { app } = buildApp();
    app.get('/users/:id', async () => ({}));
    const response = await app.inject({ url });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ error: status === 400 ? 'Bad Request' : 'URI Too Long', message });
    expect(response.headers['x-service-version']).toBe('v7');
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain(`http_requests_total{method="GET",route="unmatched",status_code="${status}"`);
  });

  it('exports request counts and latency by route template and status, labelled with service and version', async () => {
    const { app } = buildApp();
    await app.inject({ url: '/healthz' });
    await app.inject({ url: '/healthz' });
    await app.inject({ url: '/boom' });
    await app.inject({ url: '/random/path/123' });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    const text = metrics.body;
    const labels = 'service="demo-service",version="v7"';
    expect(text).toContain(`http_requests_total{method="GET",route="/healthz",status_code="200",${labels}} 2`);
    expect(text).toContain(`http_requests_total{method="GET",route="/boom",status_code="500",${labels}} 1`);
    expect(text).toContain(`http_requests_total{method="GET",route="unmatched",status_code="404",${labels}} 1`);
    const healthz = `method="GET",route="/healthz",status_code="200"`;
    expect(text).toContain(`# TYPE http_request_duration_seconds histogram`);
    expect(text).toContain(`http_request_duration_seconds_count{${healthz},${labels}} 2`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${healthz},le="+Inf",${labels}} 2`);
    expect(text).toMatch(new RegExp(`http_request_duration_seconds_sum\\{${healthz.replace(/[/]/g, '\\/')},${labels}\\} 0\\.\\d+`));
  });

  it('exports the process metrics the dashboards\' saturation panels read, labelled with service and version', async () => {
    const { app } = createService({ name: 'demo-service', config: testConfig({ SERVICE_VERSION: 'v7' }) });
    try {
      const text = (await app.inject({ url: '/metrics' })).body;
      for (const metric of Object.values(PROCESS_METRICS)) {
        expect(text).toMatch(new RegExp(`^${metric}\\{service="demo-service",version="v7"\\} \\d`, 'm'));
      }
    } finally {
      await app.close();
    }
  });
});
