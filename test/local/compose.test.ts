/**
 * `npm run local` for real: the images built by src/images, started with Debian's docker-compose (1.29, the Compose
 * CI installs) under a project of its own, healthy, answering a real call chain (order → user + payment) on their
 * loopback ports, and removed again by project name; then with --database, on the PostgreSQL server it runs (the
 * official image when present, else the stand-in built from Debian's postgresql package); then with --tracing, one order as one
 * trace in the Jaeger it runs. Skipped, with a message, when no Docker engine is reachable
 * (like test/images/containers.test.ts; a failure under CI=true, and CI starts one); with an engine but without docker-compose it fails.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, dockerAvailable, DOCKER_UNAVAILABLE } from '../../src/images/docker';
import { imageReferences } from '../../src/images/index';
import { localContainers } from '../../src/local/containers';
import { LOCAL_STATE_DIRECTORY } from '../../src/local/database-state';
import { storageLabel } from '../../src/local/storage';
import { loadPlatformSpec } from '../../src/platform';
import { toolUnavailableReason } from '../../src/toolchain/index';
import { describeWithDocker } from '../support/docker';
import { describeRequiring } from '../support/requirements';
import { REPOSITORY_ROOT, runScript } from '../support/run-script';

/** A cold build of the images takes about a minute here, then up to the healthchecks' start; slow CI machines. */
const UP_TIMEOUT_MS = 900_000;
const COMPOSE = 'docker-compose';

/** One row of the summary table, as printed. */
interface Row {
  readonly service: string;
  readonly version: string;
  readonly url: string;
  readonly health: string;
  readonly storage: string;
}

/** The summary table's rows, read back from the columns of its header line. */
function summaryRows(stdout: string): Row[] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => line.startsWith('SERVICE '));
  if (header < 0) throw new Error(`no summary in:\n${stdout}`);
  const columns = ['SERVICE', 'VERSION', 'URL', 'HEALTH', 'STORAGE'].map((name) => (lines[header] as string).indexOf(name));
  const rows: Row[] = [];
  for (const line of lines.slice(header + 1)) {
    if (line.startsWith('local:') || line.trim() === '') break;
    const cell = (index: number) => line.slice(columns[index], columns[index + 1]).trim();
    rows.push({ service: cell(0), version: cell(1), url: cell(2), health: cell(3), storage: cell(4) });
  }
  return rows;
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const projectContainers = (project: string) =>
  docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.ID}}']).then((out) => out.trim());

/** What one describe block's `npm run local` printed; filled in before its tests. */
interface LocalRun {
  /** The Compose project, unique to the run. */
  readonly project: string;
  /** The Compose file it wrote (in a temporary directory). */
  readonly file: string;
  up: ReturnType<typeof runScript>;
  rows: Row[];
}

/**
 * Starts `npm run local` with `flags` under a project of its own before the block's tests (loopback ports Docker
 * picks), and removes everything of the project after them, by project name whatever the tests did.
 */
function localRun(name: string, flags: readonly string[]): LocalRun {
  const project = `${name}-${process.pid}-${Date.now().toString(36)}`;
  const directory = mkdtempSync(join(tmpdir(), `${name}-`));
  const run: LocalRun = { project, file: join(directory, 'compose.yaml'), up: { status: null, stdout: '', stderr: '' } as ReturnType<typeof runScript>, rows: [] };
  beforeAll(() => {
    run.up = runScript('src/local/cli.ts', [...flags, '--project', project, '--base-port', '0', '--output', run.file, '--timeout', '300'], { MESH_COMPOSE: COMPOSE });
    run.rows = summaryRows(run.up.stdout);
  }, UP_TIMEOUT_MS);
  afterAll(() => {
    execFileSync(COMPOSE, ['-p', project, '-f', run.file, 'down', '-v', '--remove-orphans'], { stdio: 'ignore', timeout: 120_000 });
    rmSync(directory, { recursive: true, force: true });
    rmSync(join(REPOSITORY_ROOT, LOCAL_STATE_DIRECTORY, project), { recursive: true, force: true });
  }, 180_000);
  return run;
}

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
    const down = runScript('src/local/cli.ts', ['down', '--project', project, '--output', file], { MESH_COMPOSE: COMPOSE });
    expect(down.stderr).toBe('');
    expect(down.status).toBe(0);
    expect(down.stdout).toContain(`local: project ${project} stopped and removed`);
    expect(execFileSync('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`], { encoding: 'utf8' }).trim()).toBe('');
    expect(execFileSync('docker', ['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`], { encoding: 'utf8' }).trim()).toBe('');
  }, 120_000);
});

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
    const down = runScript('src/local/cli.ts', ['down', '--project', project], { MESH_COMPOSE: COMPOSE });
    expect(down.status).toBe(0);
    expect(execFileSync('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`], { encoding: 'utf8' }).trim()).toBe('');
    expect(existsSync(state)).toBe(false);
  }, 120_000);
});

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
