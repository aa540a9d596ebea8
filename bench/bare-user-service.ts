/**
 * The baseline for bench/services.ts: user-service's `/healthz` and `POST /register` on bare `node:http`, doing the
 * same work (parse JSON, validate, reject duplicates, store, answer JSON) with none of the kit's extras (logs,
 * metrics, request ids, schema validation). Prints `listening on <port>` once ready.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const idByEmail = new Map<string, string>();

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function register(request: IncomingMessage, response: ServerResponse): void {
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (text += chunk));
  request.on('end', () => {
    let body: { name?: unknown; email?: unknown };
    try {
      body = JSON.parse(text);
    } catch {
      return send(response, 400, { error: 'Bad Request', message: 'body is not valid JSON' });
    }
    const { name, email } = body ?? {};
    if (typeof name !== 'string' || name.trim() === '' || typeof email !== 'string' || !EMAIL.test(email)) {
      return send(response, 400, { error: 'Bad Request', message: 'name and email are required' });
    }
    const key = email.toLowerCase();
    if (idByEmail.has(key)) return send(response, 409, { error: 'Conflict', message: 'email taken' });
    const user = { id: randomUUID(), name, email, createdAt: new Date().toISOString() };
    idByEmail.set(key, user.id);
    send(response, 201, user);
  });
}

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/healthz') return send(response, 200, { status: 'ok' });
  if (request.method === 'POST' && request.url === '/register') return register(request, response);
  send(response, 404, { error: 'Not Found', message: 'not found' });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
