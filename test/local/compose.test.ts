/**
 * `npm run local` for real: the images built by src/images, started with Debian's docker-compose (1.29, the Compose
 * CI installs) under a project of its own, healthy, answering a real call chain (order → user + payment) on their
 * loopback ports, and removed again by project name.
 * Skipped, with a message, when no Docker engine is reachable (like test/images/containers.test.ts; a failure under
 * CI=true, and CI starts one); with an engine but without docker-compose it fails. --database and --tracing are in
 * test/local/compose-options.test.ts (a file of its own, so that the two run in parallel; support/local-run.ts runs them).
 */
import { execFileSync } from 'node:child_process';
import { docker } from '../../src/images/docker';
import { imageReferences } from '../../src/images/index';
import { localContainers } from '../../src/local/containers';
import { storageLabel } from '../../src/local/storage';
import { loadPlatformSpec } from '../../src/platform';
import { describeWithDocker } from '../support/docker';
import { runPackageScript } from '../support/run-script';
import { COMPOSE, localRun, post, projectContainers } from './support/local-run';

describeWithDocker('npm run local (Docker, docker-compose)', () => {
  const run = localRun('local-test', []);
  const { project, file } = run;
  const spec = loadPlatformSpec('dev', { images: imageReferences });
  const expected = localContainers(spec, 0);

  const urlOf = (service: string, version = 'v1'): string => {
    const row = run.rows.find((candidate) => candidate.service === service && candidate.version === version);
    if (!row) throw new Error(`${service} ${version} is not in the summary:\n${run.up.stdout}\n${run.up.stderr}`);
    return row.url;
  };

  it('starts one container per version of every service, all healthy on 127.0.0.1, and says so', () => {
    if (run.up.status !== 0) throw new Error(`npm run local exited ${run.up.status}:\n${run.up.stdout}\n${run.up.stderr}`);
    expect(run.up.stdout).toContain(`as Compose project ${project}, with ${COMPOSE}; the mesh (Istio routing, mTLS, policies) is not part of it`);
    expect(run.rows.map(({ service, version }) => `${service} ${version}`)).toEqual(expected.map((c) => `${c.service.name} ${c.version.name}`));
    for (const [index, row] of run.rows.entries()) {
      const container = expected[index];
      expect(row).toMatchObject({ health: 'healthy', storage: container ? storageLabel(spec, container.service, false) : '' });
      expect(row.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(run.up.stdout).toContain('local: all healthy');
  });

  it("runs every container as the manifests' securityContext does, its port published on loopback only", async () => {
    const ids = (await projectContainers(project)).split('\n');
    expect(ids).toHaveLength(expected.length);
    const inspected = JSON.parse(await docker(['inspect', ...ids])) as {
      Config: { User: string; Env: string[]; Labels: Record<string, string> };
      HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[]; SecurityOpt: string[]; Tmpfs: Record<string, string>; PortBindings: Record<string, { HostIp: string }[]> };
    }[];
    for (const container of inspected) {
      expect(container.Config.User).toBe('65532:65532');
      expect(container.HostConfig).toMatchObject({ ReadonlyRootfs: true, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges:true'], Tmpfs: { '/tmp': 'size=64m' } });
      const bindings = Object.values(container.HostConfig.PortBindings).flat();
      expect(bindings.length).toBeGreaterThan(0);
      for (const binding of bindings) expect(binding.HostIp).toBe('127.0.0.1');
      expect(container.Config.Env).toContain(`SERVICE_VERSION=${container.Config.Labels.version}`);
    }
  });

  it('registers a user and places an order through each order-service version: order → user + payment across containers', async () => {
    const user = await post(`${urlOf('user-service')}/register`, { email: 'ada@example.com', name: 'Ada' });
    expect(user.status).toBe(201);
    const { id: userId } = (await user.json()) as { id: string };
    for (const { version } of run.rows.filter((row) => row.service === 'order-service')) {
      const response = await post(`${urlOf('order-service', version)}/orders`, { userId, items: [{ sku: 'book-42', quantity: 2, price: 12.5 }], currency: 'EUR' });
      expect(response.headers.get('x-service-version')).toBe(version);
      const order = (await response.json()) as { id: string; paymentId: string };
      expect({ status: response.status, order }).toMatchObject({ status: 201, order: { userId, total: 25, currency: 'EUR', status: 'paid' } });
      const payment = await fetch(`${urlOf('payment-service')}/payments/${order.paymentId}`);
      expect({ status: payment.status, body: await payment.json() }).toMatchObject({ status: 200, body: { orderId: order.id, amount: 25 } });
    }
  });

  it('runs payment-service in sandbox mode: no provider key is mounted', async () => {
    const [id] = (await docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=app=payment-service'])).trim().split('\n');
    const logs = execFileSync('docker', ['logs', id as string], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(logs).toContain('running in sandbox mode');
  });

  it('down removes the containers and the network of the project', () => {
    const down = runPackageScript('local', ['down', '--project', project, '--output', file], { MESH_COMPOSE: COMPOSE });
    expect(down.stderr).toBe('');
    expect(down.status).toBe(0);
    expect(down.stdout).toContain(`local: project ${project} stopped and removed`);
    expect(execFileSync('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`], { encoding: 'utf8' }).trim()).toBe('');
    expect(execFileSync('docker', ['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`], { encoding: 'utf8' }).trim()).toBe('');
  }, 120_000);
});
