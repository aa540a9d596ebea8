/**
 * `npm run local -- --database --tracing` for real: as test/local/compose.test.ts, with the PostgreSQL server it runs
 * (the official image when present, else the stand-in built from Debian's postgresql package) holding the services'
 * data, and one order as one trace in the Jaeger it runs beside the services. Both options on one Compose project, as a
 * user turns them on together: one start of the containers instead of one per option (the slowest part of these
 * tests). Skipped, with a message, when no Docker engine is reachable (like test/images/containers.test.ts; a failure
 * under CI=true, and CI starts one); without the toolchain's Jaeger only --database runs, and the tracing tests say why
 * they are skipped. The default mode is in test/local/compose.test.ts (a file of its own, so that the two run in
 * parallel; support/local-run.ts runs them).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageReferences } from '../../src/images/index';
import { LOCAL_STATE_DIRECTORY } from '../../src/local/database-state';
import { loadPlatformSpec } from '../../src/platform';
import { toolUnavailableReason } from '../../src/toolchain/index';
import { describeWithDocker } from '../support/docker';
import { describeRequiring } from '../support/requirements';
import { REPOSITORY_ROOT, runPackageScript } from '../support/run-script';
import { COMPOSE, localRun, post } from './support/local-run';

/** Why the trace backend cannot run here (its image is built from the toolchain's Jaeger), or undefined. */
const jaegerUnavailable = toolUnavailableReason('jaeger');

describeWithDocker(`npm run local -- --database${jaegerUnavailable ? '' : ' --tracing'} (Docker, docker-compose)`, () => {
  const run = localRun('local-options-test', jaegerUnavailable ? ['--database'] : ['--database', '--tracing']);
  const { project, file } = run;
  const state = join(REPOSITORY_ROOT, LOCAL_STATE_DIRECTORY, project);
  const spec = loadPlatformSpec('dev', { images: imageReferences });
  /** The URL of a service's first container (of `version` when given). */
  const url = (service: string, version?: string) =>
    run.rows.find((row) => row.service === service && (version === undefined || row.version === version))?.url ?? '-';

  describe('--database', () => {
    it('starts the in-cluster server too, healthy, and the services that declare a database use it', () => {
      if (run.up.status !== 0) throw new Error(`npm run local exited ${run.up.status}:\n${run.up.stdout}\n${run.up.stderr}`);
      const server = spec.postgres?.location === 'in-cluster' ? spec.postgres : undefined;
      expect(run.rows[0]).toMatchObject({ service: server?.name, health: 'healthy', storage: `volume ${project}_${server?.name}-data` });
      expect(run.rows[0]?.url).toMatch(/^postgres:\/\/127\.0\.0\.1:\d+$/);
      for (const row of run.rows.slice(1).filter((candidate) => candidate.service !== 'jaeger')) {
        const service = spec.services.find((candidate) => candidate.name === row.service);
        expect(row).toMatchObject({ health: 'healthy', storage: service?.database ? `postgres (${service.database.name})` : 'memory' });
      }
    });

    // dev delivers order-service progressively (one Deployment, so one container here); with two versions, each reads
    // what the other placed.
    it('keeps an order placed through order-service in PostgreSQL, where every order-service container reads it', async () => {
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
  });

  describeRequiring(jaegerUnavailable)('--tracing (the toolchain\'s Jaeger)', () => {
    it('runs Jaeger beside the services, healthy, and says where its UI is', () => {
      if (run.up.status !== 0) throw new Error(`npm run local exited ${run.up.status}:\n${run.up.stdout}\n${run.up.stderr}`);
      const jaeger = run.rows.find((row) => row.service === 'jaeger');
      expect(jaeger).toMatchObject({ health: 'healthy', storage: 'memory' });
      expect(jaeger?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(run.up.stdout).toContain(`local: traces in Jaeger at ${jaeger?.url}`);
    });

    it("one order through order-service is one trace in Jaeger across order, user and payment, exported with the manifests' own variables", async () => {
      const user = (await (await post(`${url('user-service')}/register`, { email: 'lin@example.com', name: 'Lin' })).json()) as { id: string };
      // A sampled parent from the caller: the services' parent-based sampler keeps the trace whatever the environment's rate.
      const traceId = randomBytes(16).toString('hex');
      const placed = await fetch(`${url('order-service')}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
        body: JSON.stringify({ userId: user.id, items: [{ sku: 'book-1', quantity: 1, price: 5 }], currency: 'EUR' }),
      });
      expect(placed.status).toBe(201);
      // The SDK's batch processor exports every 5 s by default.
      let services: string[] = [];
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 1_000))) {
        const response = await fetch(`${url('jaeger')}/api/traces/${traceId}`);
        if (response.ok) {
          const [trace] = ((await response.json()) as { data: { processes: Record<string, { serviceName: string }> }[] }).data;
          services = [...new Set(Object.values(trace?.processes ?? {}).map((process) => process.serviceName))].sort();
          if (services.length === 3) break;
        }
      }
      expect(services).toEqual(['order-service', 'payment-service', 'user-service']);
    }, 90_000);
  });

  // Last: it takes the project down.
  it('writes no password into the Compose file, and down removes the volume and the credentials', () => {
    const text = readFileSync(file, 'utf8');
    for (const name of readdirSync(join(state, 'postgres-secret'))) expect(text).not.toContain(readFileSync(join(state, 'postgres-secret', name), 'utf8'));
    const down = runPackageScript('local', ['down', '--project', project], { MESH_COMPOSE: COMPOSE });
    expect(down.status).toBe(0);
    expect(execFileSync('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`], { encoding: 'utf8' }).trim()).toBe('');
    expect(existsSync(state)).toBe(false);
  }, 120_000);
});
