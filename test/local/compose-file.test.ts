/**
 * The Compose file of the local environment, checked against the real synthesized manifests of each environment:
 * derived from whatever the description holds, so a service added to it needs no change here.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { parse } from 'yaml';
import { platform } from '../../src/config/platform';
import { composeFile } from '../../src/local/compose-file';
import type { ComposeFile, ComposeService } from '../../src/local/compose-types';
import { renderCompose } from '../../src/local/compose-yaml';
import { DEFAULT_BASE_PORT, localContainers } from '../../src/local/containers';
import { databaseServer } from '../../src/local/database-server';
import { IMAGE_NODE } from '../../src/local/healthcheck';
import { storageLabel } from '../../src/local/storage';
import { traceBackendContainer } from '../../src/local/trace-backend';
import { synthesizePlatform } from '../../src/platform';
import { DATABASE_URL_ENV, ENVIRONMENTS, type PlatformDescription } from '../../src/description';
import { serviceUrlEnv, workloadName } from '../../src/description/names/workloads';
import { freePort } from '../support/ports';
import { ofKind, TEST_IMAGES, unusedServiceName, type KubeObject, type TestPlatform } from '../support/platform';

const BASE_PORT = 20000;

/** The environment a pod of this Deployment gets: its ConfigMaps (envFrom) first, then its own variables. */
function podEnvironment(objects: readonly KubeObject[], deployment: KubeObject): Record<string, string> {
  const container = deployment.spec.template.spec.containers[0];
  const configMaps = (container.envFrom ?? []).map((source: KubeObject) =>
    ofKind(objects, 'ConfigMap').find((map) => map.metadata.name === source.configMapRef.name)?.data ?? {});
  const own = Object.fromEntries((container.env ?? []).map((variable: KubeObject) => [variable.name, variable.value]));
  return Object.assign({}, ...configMaps, own);
}

/** The Deployments of the description's services (one per version). */
function serviceDeployments({ spec, objects }: TestPlatform): KubeObject[] {
  const names = new Set(spec.services.map((service) => service.name));
  return ofKind(objects, 'Deployment').filter((deployment) => names.has(deployment.metadata.labels.app));
}

/** Checks every Compose service against the Deployment it stands for. */
function expectMatchesManifests(synthesized: TestPlatform, compose: ComposeFile): void {
  const deployments = serviceDeployments(synthesized);
  expect(Object.keys(compose.services).sort()).toEqual(deployments.map((deployment) => deployment.metadata.name).sort());
  for (const deployment of deployments) {
    const service = compose.services[deployment.metadata.name] as ComposeService;
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    // Storage is in memory unless a database is provided: the one variable left out.
    const expected = podEnvironment(synthesized.objects, deployment);
    delete expected[`${DATABASE_URL_ENV}_FILE`];
    // Compose reads `$$` as a literal `$`.
    const environment = Object.fromEntries(Object.entries(service.environment).map(([name, value]) => [name, value.replace(/\$\$/g, '$')]));
    expect(environment).toEqual(expected);
    expect(service.environment.SERVICE_VERSION).toBe(deployment.metadata.labels.version);
    expect(service.image).toBe(container.image);
    const security = container.securityContext;
    expect(service.user).toBe(`${security.runAsUser}:${security.runAsGroup}`);
    expect(service.read_only).toBe(security.readOnlyRootFilesystem);
    expect(service.cap_drop).toEqual(security.capabilities.drop);
    expect(service.security_opt).toEqual(['no-new-privileges:true']);
    expect(container.volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/tmp' }));
    expect(service.tmpfs).toEqual(['/tmp:size=64m']);
    expect(service.stop_grace_period).toBe(`${pod.terminationGracePeriodSeconds}s`);
    expect(service.labels).toMatchObject(pod.metadata?.labels ?? deployment.spec.template.metadata.labels);
    // Published on loopback only, one host port per container port.
    expect(service.ports).toEqual(container.ports.map((port: KubeObject) => expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:\\d+:${port.containerPort}$`))));
    const readiness = container.readinessProbe;
    expect(service.healthcheck).toMatchObject({
      interval: `${readiness.periodSeconds}s`,
      timeout: `${readiness.timeoutSeconds}s`,
      retries: readiness.failureThreshold,
      start_period: `${container.startupProbe.periodSeconds * container.startupProbe.failureThreshold}s`,
    });
    expect(service.healthcheck.test.slice(0, 3)).toEqual(['CMD', IMAGE_NODE, '-e']);
    expect(service.healthcheck.test[3]).toContain(JSON.stringify(readiness.httpGet.path));
  }
}

/** Every URL a container is given resolves, on the Compose network, to a container listening on that port. */
function expectUrlsResolve(compose: ComposeFile): void {
  const listeners = Object.values(compose.services).flatMap((service) =>
    Object.values(service.networks).flatMap(({ aliases }) =>
      aliases.map((alias) => `${alias}:${service.environment.PORT}`)));
  const urls = Object.values(compose.services).flatMap((service) =>
    Object.entries(service.environment).filter(([name]) => name.endsWith('_URL')).map(([, value]) => new URL(value)));
  expect(urls.length).toBeGreaterThan(0);
  for (const url of urls) expect(listeners).toContain(`${url.hostname}:${url.port}`);
}

describe.each(ENVIRONMENTS)('the Compose file of %s', (environment) => {
  const synthesized = synthesizePlatform(environment, { images: TEST_IMAGES }) as TestPlatform;
  const compose = composeFile(synthesized.spec, { basePort: BASE_PORT });

  it("runs one container per Deployment with its image, ConfigMap values, variables, security context and probes", () => {
    expectMatchesManifests(synthesized, compose);
  });

  it("gives the callers the manifests' URLs, which resolve to the callees on the Compose network", () => {
    expectUrlsResolve(compose);
    for (const service of synthesized.spec.services) {
      for (const version of service.versions) {
        // The Deployment's name: `<service>-<version>`, or `<service>` under progressive delivery (dev's order-service).
        const dependsOn = Object.keys(compose.services[workloadName(service, version.name)]?.depends_on ?? {});
        const callees = localContainers(synthesized.spec).filter((c) => service.calls.includes(c.service.name)).map((c) => c.name);
        expect(dependsOn.sort()).toEqual(callees.sort());
      }
    }
  });

  it('publishes consecutive host ports from the base port, or lets Docker pick them with 0', () => {
    const hostPorts = Object.values(compose.services).flatMap((service) => service.ports.map((port) => Number(port.split(':')[1])));
    expect(hostPorts).toEqual(hostPorts.map((_, index) => BASE_PORT + index));
    const ephemeral = composeFile(synthesized.spec, { basePort: 0 });
    for (const service of Object.values(ephemeral.services)) expect(service.ports.every((port) => /^127\.0\.0\.1::\d+$/.test(port))).toBe(true);
    expect(localContainers(synthesized.spec)[0]?.ports[0]?.host).toBe(DEFAULT_BASE_PORT);
  });
});

describe('the Compose file of dev with its in-cluster database server (--database)', () => {
  const synthesized = synthesizePlatform('dev', { images: TEST_IMAGES }) as TestPlatform;
  const files = { passwords: '../state/postgres-secret', init: '../state/postgres-init' };
  const server = databaseServer(synthesized.spec, 'postgres-stand-in:15', files);
  const withDatabase = synthesized.spec.services.filter((service) => service.database);
  const urlFiles = Object.fromEntries(withDatabase.map((service) => [service.name, `../state/${service.name}.url`]));
  const compose = composeFile(synthesized.spec, { basePort: BASE_PORT, database: { server, urlFiles } });
  const statefulSet = ofKind(synthesized.objects, 'StatefulSet')[0] as KubeObject;

  it("runs the server as the manifests' StatefulSet does: environment, user, security, mounts, probe, init script", () => {
    expect(withDatabase.length).toBeGreaterThan(0);
    const container = statefulSet.spec.template.spec.containers[0];
    const service = compose.services[statefulSet.metadata.name] as ComposeService;
    expect(service.environment).toEqual(Object.fromEntries(container.env.map((v: KubeObject) => [v.name, v.value])));
    expect(service.user).toBe(`${container.securityContext.runAsUser}:${container.securityContext.runAsGroup}`);
    expect(service).toMatchObject({ read_only: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
    const mountPaths = container.volumeMounts.map((mount: KubeObject) => mount.mountPath).sort();
    const composeMounts = [...(service.volumes ?? []), ...service.tmpfs].map((mount) => (mount.includes(':') && !mount.startsWith('/') ? mount.split(':')[1] : mount.split(':')[0])).sort();
    expect(composeMounts).toEqual(mountPaths);
    expect(service.volumes).toEqual(expect.arrayContaining([`${files.init}:/docker-entrypoint-initdb.d:ro`, `${files.passwords}:/var/run/secrets/postgres:ro`]));
    expect(service.healthcheck.test).toEqual(['CMD', ...container.readinessProbe.exec.command]);
    expect(service.networks[synthesized.spec.namespace]?.aliases).toContain(new URL(`postgres://${server.server.host}`).hostname);
    expect(compose.volumes).toEqual({ [server.volume]: {} });
    const configMap = ofKind(synthesized.objects, 'ConfigMap').find((map) => map.data?.[server.initScript.file]);
    expect(server.initScript.text).toBe(configMap?.data[server.initScript.file]);
  });

  it('mounts each URL file where the pods mount their database Secret, names it in DATABASE_URL_FILE, and waits for the server', () => {
    for (const deployment of serviceDeployments(synthesized)) {
      const service = compose.services[deployment.metadata.name] as ComposeService;
      const file = urlFiles[deployment.metadata.labels.app];
      const pod = podEnvironment(synthesized.objects, deployment);
      expect(service.environment[`${DATABASE_URL_ENV}_FILE`]).toBe(file ? pod[`${DATABASE_URL_ENV}_FILE`] : undefined);
      expect(service.volumes).toEqual(file ? [`${file}:${pod[`${DATABASE_URL_ENV}_FILE`]}:ro`] : undefined);
      expect(Object.keys(service.depends_on ?? {}).includes(server.name)).toBe(file !== undefined);
    }
  });

  it('is refused for an environment whose server is external', () => {
    expect(() => databaseServer(synthesizePlatform('prod', { images: TEST_IMAGES }).spec, 'x', files)).toThrow('prod: no in-cluster PostgreSQL server');
  });
});

describe('the Compose file of dev with its trace backend (--tracing)', () => {
  const synthesized = synthesizePlatform('dev', { images: TEST_IMAGES }) as TestPlatform;
  const traceBackend = traceBackendContainer(synthesized.spec);
  const compose = composeFile(synthesized.spec, { basePort: BASE_PORT, traceBackend });
  const backend = synthesized.spec.observability.tracing.backend;

  it("answers under the host name and on the port the services' OTLP endpoint names, so they export unchanged", () => {
    const service = compose.services[traceBackend.name] as ComposeService;
    expect(backend).toBeDefined();
    expect(service.networks[synthesized.spec.namespace]?.aliases).toEqual([backend?.host]);
    const config = parse(traceBackend.config) as { receivers: { otlp: { protocols: Record<string, { endpoint: string }> } } };
    for (const deployment of serviceDeployments(synthesized)) {
      const endpoint = new URL(podEnvironment(synthesized.objects, deployment).OTEL_EXPORTER_OTLP_ENDPOINT as string);
      const protocol = podEnvironment(synthesized.objects, deployment).OTEL_EXPORTER_OTLP_PROTOCOL === 'grpc' ? 'grpc' : 'http';
      expect(endpoint.hostname).toBe(backend?.host);
      expect(config.receivers.otlp.protocols[protocol]?.endpoint).toBe(`0.0.0.0:${endpoint.port}`);
      expect(compose.services[deployment.metadata.name]?.depends_on).toMatchObject({ [traceBackend.name]: { condition: 'service_healthy' } });
    }
  });

  it('runs restricted, publishes only its UI on loopback, and checks health with the image node', () => {
    const service = compose.services[traceBackend.name] as ComposeService;
    expect(service).toMatchObject({ user: '65532:65532', read_only: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'], ports: [`127.0.0.1::${traceBackend.queryPort}`] });
    expect(service.healthcheck.test.slice(0, 2)).toEqual(['CMD', IMAGE_NODE]);
  });

  it('is refused, with the fix, for an environment that configures no backend', () => {
    const spec = { ...synthesized.spec, observability: { ...synthesized.spec.observability, tracing: { ...synthesized.spec.observability.tracing, backend: undefined } } };
    expect(() => traceBackendContainer(spec)).toThrow('--tracing: dev configures no trace backend, so its services export no spans; set observability.tracing.backend');
  });
});

describe('the Compose file of a description with another service', () => {
  // A name the description does not have yet, and one of its services (by the description, not by name) as the caller.
  const added = unusedServiceName('inventory-service');
  const caller = platform.services[0];
  const description: PlatformDescription = {
    ...platform,
    services: [
      ...platform.services.map((service) => (service === caller ? { ...service, calls: [added] } : service)),
      // Calls back into its caller: the cycle gets no depends_on edge back (Compose refuses circular dependencies).
      { name: added, versions: [{ name: 'v1' }], calls: [caller.name], config: { STOCK: '$5 on yes' } },
    ],
  };
  const images = { ...TEST_IMAGES, [added]: `registry.example.com/shop/${added}:sha256-0123456789abcdef` };

  it('runs it too, as the manifests do, without a change to the generator', () => {
    const synthesized = synthesizePlatform('dev', { images, description }) as TestPlatform;
    const compose = composeFile(synthesized.spec);
    const callerContainers = Object.keys(compose.services).filter((name) => name.startsWith(`${caller.name}-`));
    expect(compose.services[`${added}-v1`]?.environment).toMatchObject({
      STOCK: '$$5 on yes',
      [serviceUrlEnv(caller.name)]: expect.stringMatching(new RegExp(`^http://${caller.name}\\.${synthesized.spec.namespace}\\.svc\\.cluster\\.local:\\d+$`)),
    });
    expect(callerContainers.length).toBeGreaterThan(0);
    for (const name of callerContainers) expect(compose.services[name]?.depends_on).toEqual({ [`${added}-v1`]: { condition: 'service_healthy' } });
    expect(compose.services[`${added}-v1`]?.depends_on).toBeUndefined();
    expectMatchesManifests(synthesized, compose);
    expectUrlsResolve(compose);
  });

  it('writes YAML that a YAML 1.1 reader (docker-compose 1.29: PyYAML) reads back unchanged', () => {
    const compose = composeFile(synthesizePlatform('dev', { images, description }).spec);
    const text = renderCompose(compose, { environment: 'dev', project: 'shop-local' });
    expect(text).toMatch(/^# Generated by `npm run local`/);
    expect(parse(text, { version: '1.1' })).toEqual(JSON.parse(JSON.stringify(compose)));
    expect(text).not.toMatch(/^version:/m);
  });
});

describe('storage', () => {
  const { spec } = synthesizePlatform('dev', { images: TEST_IMAGES });
  it('says memory, and that the environment configures a database the local run does not provide', () => {
    const labels = spec.services.map((service) => storageLabel(spec, service, false));
    spec.services.forEach((service, index) =>
      expect(labels[index]).toBe(service.database ? 'memory (dev configures postgres; pass --database to use it)' : 'memory'));
    const prod = synthesizePlatform('prod', { images: TEST_IMAGES }).spec;
    const withDatabase = prod.services.find((service) => service.database);
    expect(withDatabase && storageLabel(prod, withDatabase, false)).toBe('memory (prod uses an external postgres server, not run locally)');
  });
});

describe('the healthcheck program (run by the image node; here by this one)', () => {
  let server: Server;
  let port: number;
  let status = 200;
  beforeAll(async () => {
    port = await freePort();
    server = createServer((request, response) => {
      response.statusCode = request.url === '/readyz' ? status : 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const { spec } = synthesizePlatform('dev', { images: TEST_IMAGES });
  const script = String(composeFile(spec).services['user-service-v1']?.healthcheck.test[3]);
  /** The exit code of the check pointed at `checkPort` (run asynchronously: the server answers from this process). */
  const check = (checkPort: number): Promise<number | null> =>
    new Promise((resolve) => {
      execFile(process.execPath, ['-e', script.replace(/"port":\d+/, `"port":${checkPort}`)], { timeout: 10_000 }, (error) =>
        resolve(error ? (typeof error.code === 'number' ? error.code : null) : 0));
    });

  it('exits 0 on a ready answer, 1 on 503 and when nothing listens', async () => {
    expect(script).toContain('"port":8080');
    status = 200;
    expect(await check(port)).toBe(0);
    status = 503;
    expect(await check(port)).toBe(1);
    expect(await check(await freePort())).toBe(1);
  });
});
