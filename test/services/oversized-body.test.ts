/**
 * A JSON body over the 1 MiB limit, sent by a real HTTP client over loopback to each service's process: the client
 * sends all of it and reads the JSON 413 every time, instead of an EPIPE or a reset because the server closed while it
 * was still sending. Several rounds per endpoint, framing and size, since the failure is a race; 16 MB is past what
 * loopback's socket buffers absorb, so the race shows here too and not only on a real network.
 */
import { request } from 'node:http';
import { DRAIN_LIMIT_BYTES } from '../../services/kit/unread-body';
import { type RunningService, startReadyService } from './helpers/process';

jest.setTimeout(90_000);

const ROUNDS = 5;
const MB = 1024 * 1024;
/** Valid JSON of about `size` bytes. */
const jsonOf = (size: number) => Buffer.from(JSON.stringify({ name: 'x'.repeat(size) }));
const BODIES = [['2 MB', jsonOf(2 * MB)], ['16 MB', jsonOf(16 * MB)]] as const;

interface Answer {
  readonly status: number;
  readonly connection: string | undefined;
  readonly body: unknown;
}

/**
 * POSTs `body` framed by content-length or chunked, as a client that sends its whole body: resolves once the answer is
 * read and the connection closed without an error, rejects with the client's first error (EPIPE, ECONNRESET).
 */
function post(url: string, body: Buffer, framing: 'content-length' | 'chunked'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'k', ...(framing === 'content-length' ? { 'content-length': body.length } : {}) };
    let closed = false;
    let answer: Answer | undefined;
    const settle = () => closed && answer && resolve(answer);
    const client = request(url, { method: 'POST', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        answer = { status: response.statusCode!, connection: response.headers.connection, body: JSON.parse(Buffer.concat(chunks).toString()) };
        settle();
      });
      response.on('error', reject);
    });
    client.on('error', reject);
    // Not `finish`: the body can be handed to the socket and still fail with EPIPE once the server has closed.
    client.on('close', () => {
      closed = true;
      settle();
    });
    client.end(body);
  });
}

const endpoints = [['user-service', '/register'], ['order-service', '/orders'], ['payment-service', '/payments']] as const;
const services: Record<string, RunningService> = {};
beforeAll(async () => {
  for (const [name] of endpoints) services[name] = await startReadyService(name);
}, 90_000);
afterAll(() => Promise.all(Object.values(services).map((service) => service.stop())));

test('the bodies stay within what a service drains before closing', () => {
  for (const [, body] of BODIES) expect(body.length).toBeLessThan(DRAIN_LIMIT_BYTES);
});

describe.each(endpoints)('%s POST %s', (name, path) => {
  test.each(BODIES.flatMap(([size, body]) => (['content-length', 'chunked'] as const).map((framing) => [size, framing, body] as const)))(
    'a %s body framed by %s: the client sends it all and reads the JSON 413, every time',
    async (_size, framing, body) => {
      for (let round = 0; round < ROUNDS; round++) {
        const answer = await post(`${services[name].url}${path}`, body, framing);
        expect(answer).toEqual({ status: 413, connection: 'close', body: { error: 'Payload Too Large', message: 'Request body is too large' } });
      }
    },
  );
});

test('a body past the drain limit is not read to its end: the connection closes while the client is still sending', async () => {
  const endless = jsonOf(2 * DRAIN_LIMIT_BYTES);
  await expect(post(`${services['user-service'].url}/register`, endless, 'chunked')).rejects.toMatchObject({ code: expect.stringMatching(/^(EPIPE|ECONNRESET)$/) });
});
