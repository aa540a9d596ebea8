/**
 * `npm run local -- --tracing` for real: as test/local/compose.test.ts, with one order as one trace in the Jaeger it
 * runs beside the services.
 * Skipped, with a message, when no Docker engine is reachable (like test/images/containers.test.ts; a failure under
 * CI=true, and CI starts one); with an engine but without docker-compose it fails. The other modes are in
 * test/local/compose-*.test.ts (one file each, so that they run in parallel; support/local-run.ts runs them).
 */
import { randomBytes } from 'node:crypto';
import { dockerAvailable, DOCKER_UNAVAILABLE } from '../../src/images/docker';
import { toolUnavailableReason } from '../../src/toolchain/index';
import { describeRequiring } from '../support/requirements';
import { localRun, post } from './support/local-run';

/** Docker for the containers, and the toolchain's Jaeger for the trace backend's image. */
const describeWithDockerAndJaeger = describeRequiring(dockerAvailable() ? toolUnavailableReason('jaeger') : DOCKER_UNAVAILABLE);

describeWithDockerAndJaeger('npm run local -- --tracing (Docker, docker-compose, Jaeger)', () => {
  const run = localRun('local-trace-test', ['--tracing']);

  it('runs Jaeger beside the services, healthy, and says where its UI is', () => {
    if (run.up.status !== 0) throw new Error(`npm run local --tracing exited ${run.up.status}:\n${run.up.stdout}\n${run.up.stderr}`);
    const jaeger = run.rows.find((row) => row.service === 'jaeger');
    expect(jaeger).toMatchObject({ health: 'healthy', storage: 'memory' });
    expect(jaeger?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.up.stdout).toContain(`local: traces in Jaeger at ${jaeger?.url}`);
  });

  it("one order through order-service is one trace in Jaeger across order, user and payment, exported with the manifests' own variables", async () => {
    const url = (service: string) => run.rows.find((row) => row.service === service)?.url ?? '-';
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
