/**
 * The real images, built with Docker and run the way Kubernetes runs them (user 65532, read-only root filesystem,
 * tmpfs /tmp, no capabilities, no privilege escalation), talking to each other over a user-defined network.
 * Skipped, with a message, when no Docker engine is reachable; under CI=true that fails instead (.ci/docker.sh starts one).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../src/images/bundle';
import { bundleDigest } from '../../src/images/index';
import { REPOSITORY_ROOT, serviceNames } from '../../src/images/services';
import { buildArgFlags, buildImages, DOCKERFILE, type BuiltImage } from '../../src/images/build';
import { BUNDLES_IMAGE_ARG, finalStageDockerfile } from '../../src/images/final-stage';
import {
  nodeInImage,
  removeContainers,
  runContainer,
  terminate,
  waitForReady,
  type RunningContainer,
} from '../../src/images/containers';
import { docker } from '../../src/images/docker';
import { describeWithDocker } from '../support/docker';

/** A cold build of three images takes about a minute here; allow for slow CI machines. */
const BUILD_TIMEOUT_MS = 600_000;
const READY_TIMEOUT_MS = 20_000;
/** Shutdown settings the containers run with, and the grace period the manifests derive from them. */
const SHUTDOWN_DELAY_MS = 1000;
const SHUTDOWN_TIMEOUT_MS = 5000;
const GRACE_SECONDS = (SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS) / 1000 + 5;

async function json(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describeWithDocker('service images (Docker)', () => {
  const runId = `${process.pid}-${Date.now().toString(36)}`;
  const network = `mesh-platform-test-${runId}`;
  const started: RunningContainer[] = [];
  const running = new Map<string, RunningContainer>();
  let built: BuiltImage[] = [];

  beforeAll(async () => {
    built = await buildImages({ registry: 'mesh-platform', updateDockerignore: false, log: () => undefined });
    await docker(['network', 'create', network]);
    await Promise.all(
      built.map(async ({ service, reference }) => {
        const container = await runContainer({
          image: reference,
          name: `${service}-${runId}`,
          network,
          alias: service,
          env: { SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS), SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
        });
        started.push(container);
        running.set(service, container);
      }),
    );
    await Promise.all(started.map((container) => waitForReady(container, READY_TIMEOUT_MS)));
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await removeContainers(started);
    await docker(['network', 'rm', network]).catch(() => undefined);
  });

  const url = (service: string): string => {
    const container = running.get(service);
    if (!container) throw new Error(`${service} is not running`);
    return container.url;
  };

  it('builds one image per service, tagged with the hash of the bundle it runs', async () => {
    expect(built.map((image) => image.service)).toEqual(serviceNames());
    for (const image of built) {
      const bundle = await nodeInImage(image.reference, "process.stdout.write(require('fs').readFileSync('/app/main.js'))");
      expect(sha256(bundle)).toBe(image.bundleSha256);
      expect(image.reference).toBe(`mesh-platform/${image.service}:sha256-${sha256(bundle).slice(0, 16)}`);
    }
  });

  it('refuses to build an image whose bundle does not hash to what the host computed (images/Dockerfile whole, as by hand)', async () => {
    const args = ['--build-arg', 'SERVICE=user-service', '--build-arg', `BUNDLE_SHA256=${'0'.repeat(64)}`];
    const build = docker(['build', '--file', DOCKERFILE, '--force-rm', ...args, '.']);
    await expect(build).rejects.toThrow(/\/app\/main\.js hashes to [0-9a-f]{64}, but the host computed 0{64}/);
  }, 120_000);

  it("refuses, on npm run images' path, a build stage image whose bundle is not the one the host hashed", async () => {
    const context = mkdtempSync(join(tmpdir(), 'tampered-bundles-'));
    let tampered = '';
    try {
      mkdirSync(join(context, 'out'));
      writeFileSync(join(context, 'out/user-service.js'), 'console.log("not the bundle the host hashed");\n');
      writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY out/ /workspace/out/\n');
      await docker(['build', '--iidfile', join(context, 'id'), context]);
      tampered = readFileSync(join(context, 'id'), 'utf8').trim();
      writeFileSync(join(context, 'final.Dockerfile'), finalStageDockerfile(readFileSync(join(REPOSITORY_ROOT, DOCKERFILE), 'utf8')));
      const args = { SERVICE: 'user-service', BUNDLE_SHA256: bundleDigest('user-service'), [BUNDLES_IMAGE_ARG]: tampered };
      const build = docker(['build', '--file', join(context, 'final.Dockerfile'), '--force-rm', ...buildArgFlags(args), context]);
      await expect(build).rejects.toThrow(`but the host computed ${bundleDigest('user-service')}`);
    } finally {
      rmSync(context, { recursive: true, force: true });
      if (tampered) await docker(['image', 'rm', tampered]).catch(() => undefined);
    }
  }, 120_000);

  it('holds the runtime and the bundle only: non-root, no shell, no package manager, no node_modules', async () => {
    for (const { reference } of built) {
      const config = JSON.parse(await docker(['image', 'inspect', '--format', '{{json .Config}}', reference])) as {
        User: string;
        Entrypoint: string[];
        Cmd: string[];
      };
      expect(config).toMatchObject({ User: '65532:65532', Entrypoint: ['/nodejs/bin/node'], Cmd: ['/app/main.js'] });
      const findings = await nodeInImage(
        reference,
        `const fs = require('fs'), path = require('path');
         const forbidden = ['/bin/sh', '/bin/bash', '/bin/busybox', '/usr/bin/apt-get', '/usr/bin/dpkg', '/usr/bin/npm',
           '/usr/local/bin/npm', '/nodejs/bin/npm', '/usr/lib/node_modules', '/nodejs/lib/node_modules'].filter((p) => fs.existsSync(p));
         const nodeModules = [];
         const walk = (dir) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
           const p = path.join(dir, e.name);
           if (e.isDirectory() && !['/proc', '/sys', '/dev'].includes(p)) { if (e.name === 'node_modules') nodeModules.push(p); else walk(p); } } };
         walk('/');
         process.stdout.write(JSON.stringify({ forbidden, nodeModules, app: fs.readdirSync('/app') }));`,
      );
      expect(JSON.parse(findings.toString())).toEqual({ forbidden: [], nodeModules: [], app: ['main.js'] });
      await expect(docker(['run', '--rm', '--entrypoint', '/bin/sh', reference, '-c', 'true'])).rejects.toThrow(
        /no such file or directory/,
      );
    }
  });

  it('serves register -> order -> payment across the three containers', async () => {
    const user = await json(await post(`${url('user-service')}/register`, { email: 'ada@example.com', name: 'Ada' }));
    expect(user.status).toBe(201);

    const order = await json(
      await post(`${url('order-service')}/orders`, {
        userId: user.body.id,
        items: [{ sku: 'book-42', quantity: 2, price: 12.5 }],
        currency: 'EUR',
      }),
    );
    expect(order).toMatchObject({ status: 201, body: { userId: user.body.id, total: 25, currency: 'EUR', status: 'paid' } });

    const payment = await json(await fetch(`${url('payment-service')}/payments/${String(order.body.paymentId)}`));
    expect(payment).toMatchObject({ status: 200, body: { orderId: order.body.id, amount: 25, currency: 'EUR' } });
    const stored = await json(await fetch(`${url('order-service')}/orders/${String(order.body.id)}`));
    expect(stored).toEqual({ status: 200, body: order.body });
  });

  it('answers a malformed request 400 with a JSON error, from inside the read-only container', async () => {
    const response = await json(await post(`${url('order-service')}/orders`, { items: [] }));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'Bad Request' });
    expect(String(response.body.message)).toMatch(/userId/);
  });

  it('on SIGTERM turns unready at once, keeps serving for the delay, then exits 0 within the grace period', async () => {
    const results = await Promise.all(
      started.map(async (container) => {
        const termination = terminate(container, GRACE_SECONDS);
        // Inside SHUTDOWN_DELAY_MS: unready (so endpoints stop routing to it) but still alive.
        await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_DELAY_MS / 2));
        const readiness = await fetch(`${container.url}/readyz`).then((response) => response.status);
        return { name: container.name, readiness, ...(await termination) };
      }),
    );
    for (const result of results) {
      expect(result).toMatchObject({ readiness: 503, exitCode: 0, killed: false });
      expect(result.seconds).toBeGreaterThanOrEqual(SHUTDOWN_DELAY_MS / 1000);
      expect(result.seconds).toBeLessThan(GRACE_SECONDS);
    }
  }, 60_000);
});
