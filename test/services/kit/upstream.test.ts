import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamClient } from '../../../services/kit/upstream';

/** A real HTTP server on a free loopback port. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('UpstreamClient', () => {
  const servers: Server[] = [];
  afterAll(() =>
    servers.forEach((server) => {
      server.closeAllConnections();
      server.close();
    }),
  );

  async function upstream(handler: Parameters<typeof createServer>[1]): Promise<UpstreamClient> {
    const server = createServer(handler);
    servers.push(server);
    return new UpstreamClient('demo-service', await listen(server));
  }

  it('sends JSON with the given headers and parses the JSON answer', async () => {
    let seen: { method?: string; headers?: Record<string, unknown>; body?: string } = {};
    const client = await upstream((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen = { method: request.method, headers: request.headers, body };
        response.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    const answer = await client.call({
      method: 'POST',
      path: '/things',
      body: { a: 1 },
      headers: { traceparent: 't', 'idempotency-key': 'k' },
      signal: AbortSignal.timeout(1000),
    });
    expect(answer).toEqual({ status: 201, body: { ok: true }, text: '{"ok":true}' });
    expect(seen.method).toBe('POST');
    expect(seen.body).toBe('{"a":1}');
    expect(seen.headers).toMatchObject({ traceparent: 't', 'idempotency-key': 'k', 'content-type': 'application/json' });
  });

  it('does not follow redirects: the trace headers, the idempotency key and the body never leave for another host', async () => {
    const elsewhere: string[] = [];
    const other = createServer((request, response) => {
      elsewhere.push(`${request.method} ${request.url}`);
      response.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"charged-elsewhere"}');
    });
    servers.push(other);
    const otherUrl = await listen(other);
    const client = await upstream((_request, response) => response.writeHead(307, { location: `${otherUrl}/payments` }).end());
    const answer = await client.call({
      method: 'POST',
      path: '/payments',
      body: { amount: 1 },
      headers: { 'idempotency-key': 'k' },
      signal: AbortSignal.timeout(1000),
    });
    expect(answer.status).toBe(307);
    expect(client.unexpectedAnswer(answer)).toMatchObject({ statusCode: 503, message: 'demo-service answered 307: empty body' });
    expect(elsewhere).toEqual([]);
  });

  it('answers 504 when the deadline passes before the answer', async () => {
    const client = await upstream((_request, response) => setTimeout(() => response.end('{}'), 2000).unref());
    const started = Date.now();
    await expect(client.call({ path: '/slow', signal: AbortSignal.timeout(150) })).rejects.toMatchObject({
      statusCode: 504,
      message: 'demo-service did not answer in time',
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers 503 when nothing listens', async () => {
    const server = createServer();
    const url = await listen(server);
    await new Promise((done) => server.close(done));
    const client = new UpstreamClient('demo-service', url);
    await expect(client.call({ path: '/', signal: AbortSignal.timeout(1000) })).rejects.toMatchObject({
      statusCode: 503,
      message: 'demo-service is unavailable (ECONNREFUSED)',
    });
  });

  it('turns a plain-text mesh answer into a 503 quoting it, and an upstream 504 into a 504', async () => {
    const client = await upstream((request, response) => {
      if (request.url === '/mesh') response.writeHead(503).end('no healthy upstream');
      else response.writeHead(504).end('upstream request timeout');
    });
    const mesh = await client.call({ path: '/mesh', signal: AbortSignal.timeout(1000) });
    expect(mesh.body).toBeUndefined();
    expect(client.unexpectedAnswer(mesh)).toMatchObject({
      statusCode: 503,
      message: 'demo-service answered 503: no healthy upstream',
    });
    const timeout = await client.call({ path: '/timeout', signal: AbortSignal.timeout(1000) });
    expect(client.unexpectedAnswer(timeout).statusCode).toBe(504);
  });
});
