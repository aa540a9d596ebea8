import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../../services/kit/logger';
import { createService } from '../../../services/kit/service';
import { testConfig } from '../helpers/config';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CLOSED_EARLY = 'connection closed before the response was sent';

/** A service whose JSON log lines are collected in `lines`. */
function loggedService() {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => lines.push(JSON.parse(line)) };
  const logger = createLogger({ service: 'demo-service', version: 'v7', level: 'info', destination });
  const service = createService({ name: 'demo-service', config: testConfig(), logger, processMetrics: false });
  return { ...service, lines };
}

describe('RequestObserver', () => {
  it('logs one line per request with its request id, route template, status and time, and none for probes', async () => {
    const { app, lines } = loggedService();
    app.get('/items/:id', async () => ({ ok: true }));
    await app.inject({ url: '/items/7', headers: { 'x-request-id': 'req-7' } });
    await app.inject({ url: '/healthz' });
    await new Promise((settled) => setImmediate(settled));

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'request completed',
      reqId: 'req-7',
      service: 'demo-service',
      method: 'GET',
      url: '/items/7',
      route: '/items/:id',
      statusCode: 200,
    });
    expect(lines[0].responseTimeMs).toEqual(expect.any(Number));
  });

  it("writes Fastify's own lines and app.log through the service's logger", async () => {
    const { app, lines } = loggedService();
    app.log.info('from the app');
    await app.listen({ port: 0, host: '127.0.0.1' });
    await app.close();
    expect(lines.map((line) => line.msg)).toEqual(['from the app', expect.stringMatching(/^Server listening at http:\/\/127\.0\.0\.1:\d+$/)]);
  });

  it('counts a request whose client leaves before the answer under status 499 and logs a warning', async () => {
    const { app, lines } = loggedService();
    let answer = () => {};
    let arrived = () => {};
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    app.get('/slow', async () => {
      arrived();
      await new Promise<void>((resolve) => (answer = resolve));
      return { late: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const client = httpRequest({ host: '127.0.0.1', port, path: '/slow' });
      client.on('error', () => {}); // the socket is destroyed on purpose
      client.end();
      await requestArrived;
      client.destroy();
      for (let waited = 0; !lines.some((line) => line.msg === CLOSED_EARLY) && waited < 2000; waited += 10) await sleep(10);
      answer();

      const metrics = (await app.inject({ url: '/metrics' })).body;
      expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/slow",status_code="499",[^}]*\} 1/);
      expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: CLOSED_EARLY, route: '/slow', statusCode: 499 }));
    } finally {
      await app.close();
    }
  });
});
