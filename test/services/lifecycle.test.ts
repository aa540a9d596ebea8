import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postJson, runToExit, startService } from './helpers/process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown on SIGTERM', () => {
  it('turns unready during SHUTDOWN_DELAY_MS, keeps serving, finishes in-flight requests and exits 0', async () => {
    const delayMs = 800;
    const service = await startService('payment-service', {
      SHUTDOWN_DELAY_MS: String(delayMs),
      SHUTDOWN_TIMEOUT_MS: '4000',
      LATENCY_MS: '1500',
    });
    const inFlight = postJson(`${service.url}/payments`, { orderId: 'o1', amount: 5, currency: 'EUR' }, { 'idempotency-key': 'k1' });
    await sleep(200);
    const signalled = Date.now();
    service.child.kill('SIGTERM');
    await sleep(150);

    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ error: 'Service Unavailable', message: 'shutting down' });
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);

    // Started before SIGTERM, finishing after the listener closed (at delayMs): drained, not dropped.
    const payment = await inFlight;
    expect(payment.status).toBe(201);
    expect(Date.now() - signalled).toBeGreaterThan(delayMs);

    expect(await service.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(delayMs + 4000);
    expect(service.output()).toContain('"msg":"shutdown complete"');
  });

  it('exits 1 when in-flight requests outlast SHUTDOWN_TIMEOUT_MS', async () => {
    const service = await startService('payment-service', { SHUTDOWN_TIMEOUT_MS: '300', LATENCY_MS: '5000' });
    void postJson(`${service.url}/payments`, { orderId: 'o1', amount: 5, currency: 'EUR' }, { 'idempotency-key': 'k1' }).catch(
      () => undefined,
    );
    await sleep(200);
    const signalled = Date.now();
    expect(await service.stop()).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(2000);
    expect(service.output()).toContain('in-flight requests did not finish within SHUTDOWN_TIMEOUT_MS');
  });
});

describe('start-up configuration', () => {
  it('exits 1 naming every invalid variable', async () => {
    const { code, output } = await runToExit('order-service', {
      PORT: 'eighty',
      UPSTREAM_TIMEOUT_MS: '0',
      USER_SERVICE_URL: 'user-service',
    });
    expect(code).toBe(1);
    expect(output).toContain('order-service: invalid configuration:');
    expect(output).toContain('PORT="eighty": expected an integer from 0 to 65535');
    expect(output).toContain('UPSTREAM_TIMEOUT_MS="0": expected an integer from 1 to 600000');
    expect(output).toContain('USER_SERVICE_URL="user-service": expected an absolute http:// or https:// URL');
  });

  it('exits 1 naming HOST and PORT when it cannot listen', async () => {
    const taken = await startService('user-service');
    const port = new URL(taken.url).port;
    const { code, output } = await runToExit('user-service', { PORT: port });
    expect(await taken.stop()).toBe(0);
    expect(code).toBe(1);
    expect(output).toContain(`cannot listen on HOST=\\"127.0.0.1\\" PORT=${port} (EADDRINUSE): free the port or change HOST or PORT`);
  });

  it('reads the payment provider key from a mounted file without ever logging it; a missing file means sandbox mode unless required', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payment-secret-'));
    const keyFile = join(dir, 'PAYMENT_PROVIDER_API_KEY');
    writeFileSync(keyFile, 'sk_live_do_not_log\n');
    const live = await startService('payment-service', { PAYMENT_PROVIDER_API_KEY_FILE: keyFile });
    const created = await postJson(`${live.url}/payments`, { orderId: 'o', amount: 1, currency: 'EUR' }, { 'idempotency-key': 'k' });
    expect(created.body.mode).toBe('live');
    expect(await live.stop()).toBe(0);
    expect(live.output()).toContain('live mode');
    expect(live.output()).not.toContain('sk_live_do_not_log');

    const absent = join(dir, 'absent');
    const sandbox = await startService('payment-service', { PAYMENT_PROVIDER_API_KEY_FILE: absent });
    const trial = await postJson(`${sandbox.url}/payments`, { orderId: 'o', amount: 1, currency: 'EUR' }, { 'idempotency-key': 'k' });
    expect(trial).toMatchObject({ status: 201, body: { mode: 'sandbox' } });
    expect(await sandbox.stop()).toBe(0);
    const warning = sandbox.output().split('\n').find((line) => line.includes('running in sandbox mode'));
    expect(JSON.parse(warning!)).toMatchObject({
      level: 'warn',
      msg: `PAYMENT_PROVIDER_API_KEY_FILE="${absent}": cannot read the file (ENOENT): running in sandbox mode (no money moves); set PAYMENT_PROVIDER_REQUIRED=true to refuse to start instead`,
    });

    const required = await runToExit('payment-service', { PAYMENT_PROVIDER_API_KEY_FILE: absent, PAYMENT_PROVIDER_REQUIRED: 'true' });
    expect(required.code).toBe(1);
    expect(required.output).toContain(
      `PAYMENT_PROVIDER_REQUIRED=true: PAYMENT_PROVIDER_API_KEY_FILE="${absent}": cannot read the file (ENOENT): mount the provider key, or set PAYMENT_PROVIDER_REQUIRED=false for sandbox mode`,
    );
    const unset = await runToExit('payment-service', { PAYMENT_PROVIDER_REQUIRED: 'yes' });
    expect(unset.code).toBe(1);
    expect(unset.output).toContain('PAYMENT_PROVIDER_REQUIRED=true: neither PAYMENT_PROVIDER_API_KEY nor PAYMENT_PROVIDER_API_KEY_FILE is set');
  });

  it('exits 1 on an unusable DATABASE_URL or a missing DATABASE_URL_FILE, never showing the URL', async () => {
    const bad = await runToExit('payment-service', { DATABASE_URL: 'mysql://app:hunter2@db/payments' });
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('DATABASE_URL (or the file DATABASE_URL_FILE names): expected postgres://user:password@host:port/database');
    expect(bad.output).not.toContain('hunter2');
    const missing = await runToExit('order-service', { DATABASE_URL_FILE: '/nonexistent/DATABASE_URL' });
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('DATABASE_URL_FILE="/nonexistent/DATABASE_URL": cannot read the file (ENOENT): mount it or unset DATABASE_URL_FILE');
  });
});
