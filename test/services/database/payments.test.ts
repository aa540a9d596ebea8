import { type RunningService, getJson, postJson, startReadyService, startService } from '../helpers/process';
import { TEST_PASSWORD, type TestPostgres, startPostgres } from '../../support/postgres';

// Each test starts several processes (and PostgreSQL): slow on a loaded 2-core machine, so a budget above the default.
jest.setTimeout(90_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const charge = (service: RunningService, key: string, orderId = `order-${key}`) =>
  postJson(`${service.url}/payments`, { orderId, amount: 12.5, currency: 'EUR' }, { 'idempotency-key': key });
/** Lines in which the service reports a charge it made (one per provider charge). */
const chargesIn = (service: RunningService, key?: string) =>
  service.output().split('\n').filter((line) => line.includes('"msg":"payment charged"') && (!key || line.includes(`"orderId":"order-${key}"`))).length;

/** payment-service as real processes sharing one real PostgreSQL (Debian's package, started by the test). */
describe('payment-service on PostgreSQL', () => {
  let postgres: TestPostgres;
  let databaseUrl: string;
  const running: RunningService[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const service = await startReadyService('payment-service', { DATABASE_URL: databaseUrl, ...env });
    running.push(service);
    return service;
  };

  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase('payments');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await postgres?.stop();
  });

  it('charges once for 48 concurrent retries of one key spread over two processes', async () => {
    const [a, b] = await Promise.all([start({ LATENCY_MS: '300' }), start({ LATENCY_MS: '300' })]);
    const answers = await Promise.all(Array.from({ length: 48 }, (_, i) => charge(i % 2 === 0 ? a : b, 'concurrent')));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'false')).toHaveLength(1);
    await sleep(100);
    expect(chargesIn(a, 'concurrent') + chargesIn(b, 'concurrent')).toBe(1);
    // Either process finds it, by id and by key.
    const id = answers[0].body.id as string;
    expect((await getJson(`${b.url}/payments/${id}`)).body).toMatchObject({ id, amount: 12.5, status: 'succeeded' });
    expect((await getJson(`${a.url}/payments?idempotencyKey=concurrent`)).body).toMatchObject({ id });
    expect((await charge(b, 'concurrent', 'another-order')).status).toBe(422);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('keeps every payment and key across a restart', async () => {
    const first = await start();
    const keys = Array.from({ length: 20 }, (_, i) => `restart-${i}`);
    const made = await Promise.all(keys.map((key) => charge(first, key)));
    expect(await first.stop()).toBe(0);

    const second = await start();
    for (const [i, key] of keys.entries()) {
      const replay = await charge(second, key);
      expect(replay).toMatchObject({ status: 201, body: { id: made[i].body.id } });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect((await getJson(`${second.url}/payments/${made[i].body.id}`)).status).toBe(200);
    }
    expect(chargesIn(second)).toBe(0);
    await second.stop();
  });

  it('loses nothing and charges once when the charging process is killed with SIGKILL', async () => {
    const doomed = await start({ LATENCY_MS: '3000' });
    const survivor = await start();
    const before = await charge(survivor, 'before-crash');
    const inFlight = charge(doomed, 'crash').catch((error: Error) => error);
    await sleep(500);
    doomed.child.kill('SIGKILL');
    expect(String(await inFlight)).toContain('fetch failed');
    expect(chargesIn(doomed)).toBe(0);

    // The dead process's lock went with its connection: the retry charges at once, and a second retry replays it.
    const retried = await charge(survivor, 'crash');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('false');
    const again = await charge(survivor, 'crash');
    expect(again).toMatchObject({ status: 201, body: { id: retried.body.id } });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await postgres.query('payments', 'SELECT idempotency_key FROM payments WHERE idempotency_key IN ($1, $2) ORDER BY 1', ['before-crash', 'crash']))
      .toEqual([{ idempotency_key: 'before-crash' }, { idempotency_key: 'crash' }]);
    expect((await getJson(`${survivor.url}/payments/${before.body.id}`)).status).toBe(200);
    await survivor.stop();
  });

  it('answers 409 while another process charges the key longer than IDEMPOTENCY_WAIT_MS, then replays', async () => {
    const slow = await start({ LATENCY_MS: '1500' });
    const impatient = await start({ IDEMPOTENCY_WAIT_MS: '200' });
    const first = charge(slow, 'busy');
    await sleep(300);
    const busy = await charge(impatient, 'busy');
    expect(busy).toMatchObject({ status: 409, body: { error: 'Conflict' } });
    expect(busy.body.message).toContain('Idempotency-Key busy is still in progress');
    expect((await getJson(`${impatient.url}/payments?idempotencyKey=busy`)).status).toBe(404);
    const charged = await first;
    const replay = await charge(impatient, 'busy');
    expect(replay).toMatchObject({ status: 201, body: { id: charged.body.id } });
    await Promise.all([slow.stop(), impatient.stop()]);
  });

  it('is unready (but live) while the database is down, naming it to the probe and the log only, without the password', async () => {
    const service = await start();
    await postgres.stop();
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    const { message } = (await ready.json()) as { message: string };
    expect(message).toContain(`database payments on 127.0.0.1:${postgres.port} is unreachable`);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const refused = await charge(service, 'while-down');
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: 'Service Unavailable', message: 'service temporarily unavailable: retry later' });
    await service.stop();
    expect(service.output()).toContain(`database payments on 127.0.0.1:${postgres.port} is unavailable`);
    expect(service.output()).not.toContain(TEST_PASSWORD);
    postgres = undefined as never;
  });
});

describe('payment-service with an unreachable database', () => {
  it('listens live but unready, retrying, and never logs the password', async () => {
    const service = await startService('payment-service', { DATABASE_URL: 'postgres://app:s3cret-pw@127.0.0.1:1/payments' });
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      error: 'Service Unavailable',
      message: 'database payments on 127.0.0.1:1 is not ready (ECONNREFUSED)',
    });
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect(await service.stop()).toBe(0);
    expect(service.output()).toContain('"msg":"database not ready"');
    expect(service.output()).not.toContain('s3cret-pw');
  });
});
