/**
 * `npm run local -- --database` for real: as test/local/compose.test.ts, with the PostgreSQL server it runs (the
 * official image when present, else the stand-in built from Debian's postgresql package) holding the services' data.
 * Skipped, with a message, when no Docker engine is reachable (like test/images/containers.test.ts; a failure under
 * CI=true, and CI starts one); with an engine but without docker-compose it fails. The other modes are in
 * test/local/compose-*.test.ts (one file each, so that they run in parallel; support/local-run.ts runs them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageReferences } from '../../src/images/index';
import { LOCAL_STATE_DIRECTORY } from '../../src/local/database-state';
import { loadPlatformSpec } from '../../src/platform';
import { describeWithDocker } from '../support/docker';
import { REPOSITORY_ROOT, runPackageScript } from '../support/run-script';
import { COMPOSE, localRun, post } from './support/local-run';

describeWithDocker('npm run local -- --database (Docker, docker-compose)', () => {
  const run = localRun('local-db-test', ['--database']);
  const { project, file } = run;
  const state = join(REPOSITORY_ROOT, LOCAL_STATE_DIRECTORY, project);
  const spec = loadPlatformSpec('dev', { images: imageReferences });

  it('starts the in-cluster server too, healthy, and the services that declare a database use it', () => {
    if (run.up.status !== 0) throw new Error(`npm run local --database exited ${run.up.status}:\n${run.up.stdout}\n${run.up.stderr}`);
    const server = spec.postgres?.location === 'in-cluster' ? spec.postgres : undefined;
    expect(run.rows[0]).toMatchObject({ service: server?.name, health: 'healthy', storage: `volume ${project}_${server?.name}-data` });
    expect(run.rows[0]?.url).toMatch(/^postgres:\/\/127\.0\.0\.1:\d+$/);
    for (const row of run.rows.slice(1)) {
      const service = spec.services.find((candidate) => candidate.name === row.service);
      expect(row).toMatchObject({ health: 'healthy', storage: service?.database ? `postgres (${service.database.name})` : 'memory' });
    }
  });

  // dev delivers order-service progressively (one Deployment, so one container here); with two versions, each reads
  // what the other placed.
  it('keeps an order placed through order-service in PostgreSQL, where every order-service container reads it', async () => {
    const url = (service: string, version = 'v1') => run.rows.find((row) => row.service === service && row.version === version)?.url ?? '-';
    const orders = run.rows.filter((row) => row.service === 'order-service');
    expect(orders.length).toBeGreaterThan(0);
    const user = (await (await post(`${url('user-service')}/register`, { email: 'grace@example.com', name: 'Grace' })).json()) as { id: string };
    const placed = await post(`${orders[0].url}/orders`, { userId: user.id, items: [{ sku: 'book-7', quantity: 1, price: 9 }], currency: 'EUR' });
    const order = (await placed.json()) as { id: string; status: string };
    expect({ status: placed.status, paid: order.status }).toEqual({ status: 201, paid: 'paid' });
    for (const row of orders) {
      const read = await fetch(`${row.url}/orders/${order.id}`);
      expect(read.headers.get('x-service-version')).toBe(row.version);
      expect({ status: read.status, body: await read.json() }).toEqual({ status: 200, body: order });
    }
  });

  it('writes no password into the Compose file, and down removes the volume and the credentials', () => {
    const text = readFileSync(file, 'utf8');
    for (const name of readdirSync(join(state, 'postgres-secret'))) expect(text).not.toContain(readFileSync(join(state, 'postgres-secret', name), 'utf8'));
    const down = runPackageScript('local', ['down', '--project', project], { MESH_COMPOSE: COMPOSE });
    expect(down.status).toBe(0);
    expect(execFileSync('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`], { encoding: 'utf8' }).trim()).toBe('');
    expect(existsSync(state)).toBe(false);
  }, 120_000);
});
