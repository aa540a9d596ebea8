/**
 * `pulumi up` for real: the real Pulumi engine (CLI built from its Go module) and the real Kubernetes provider plugin
 * against the e2e cluster, on a writable copy of the project with a local file backend and no plugin downloads.
 * Images are the run's, built once and pushed to a registry on loopback by the global setup, and deployed through
 * stack config `images`. The stack deploys dev under a platform name of its own (stack config `overrides.name`, which
 * is also the default namespace), so nothing it creates or destroys is another file's: files run side by side. The
 * failure paths are test/e2e/pulumi-failures.test.ts, on a stack of their own.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANAGED_BY } from '../../src/description/names/labels';
import { getJson, kubectl } from './support/cluster';
import { changedSteps as changes, devStackProject, type PulumiProject, succeeded } from './support/pulumi';
import { runImages } from './support/images';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STACK = 'e2e';
const SECRET = `e2e-provider-key-${randomBytes(12).toString('hex')}`;
const POSTGRES_PASSWORD = `e2e-postgres-${randomBytes(12).toString('hex')}`;
/** The platform's name, and so its namespace and the prefix of its shared objects' names (dev's is `shop`). */
const NAME = 'e2e-shop';
const NAMESPACE = NAME;
const { registry, images } = runImages();

let project: PulumiProject;

beforeAll(async () => {
  project = await devStackProject(STACK, NAME, POSTGRES_PASSWORD);
  // The value on stdin, as a user would pipe it: never on a command line (or in this test's command log).
  succeeded(
    await project.pulumi(['config', 'set', '--secret', '--path', 'secrets["payment-service"].PAYMENT_PROVIDER_API_KEY'], SECRET),
    'pulumi config set --secret',
  );
}, 900_000);

afterAll(() => {
  project?.remove();
});

test('stack config `images` names every service, pinned to the digest the registry stored', () => {
  expect(Object.keys(images).sort()).toEqual(['order-service', 'payment-service', 'user-service']);
  for (const reference of Object.values(images)) expect(reference).toMatch(new RegExp(`^${registry}/[a-z-]+:sha256-[0-9a-f]{16}@sha256:[0-9a-f]{64}$`));
});

test('pulumi preview plans the whole platform and builds no image', async () => {
  const preview = succeeded(await project.deploy(['preview', '--stack', STACK]), 'preview');
  const planned = changes(preview.stdout);
  // dev delivers order-service progressively: its one Deployment, wrapped by a Canary (Flagger makes the rest).
  expect(planned).toEqual(expect.arrayContaining([
    `create kubernetes:apps/v1:Deployment ${NAMESPACE}/order-service`,
    `create kubernetes:flagger.app/v1beta1:Canary ${NAMESPACE}/order-service`,
    `create kubernetes:apps/v1:Deployment ${NAMESPACE}/user-service-v1`,
  ]));
  expect(planned.some((step) => step.includes('docker:'))).toBe(false);
});

test('pulumi up deploys, awaiting every Deployment, and outputs what docs/deploy.md documents', async () => {
  succeeded(await project.deploy(['up', '--yes', '--stack', STACK]), 'up');
  const outputs = JSON.parse(succeeded(await project.pulumi(['stack', 'output', '--json']), 'stack output').stdout) as Json;
  expect(outputs.namespace).toBe(NAMESPACE);
  expect(outputs.images).toEqual(images);
  // Static services' weights; a progressive service's Canary phase instead. No Flagger runs in this test, so the
  // Canary has no status yet.
  expect(outputs.canary).toEqual({ 'user-service': { v1: 100 }, 'payment-service': { v1: 100 } });
  expect(outputs.canaries).toEqual({ 'order-service': 'Unknown' });
  const canary = await getJson(['get', 'canaries.flagger.app', '-n', NAMESPACE, 'order-service']);
  expect(canary.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'order-service' });
  expect(outputs.gateway.hosts).toEqual(['*']);
  // dev routes with the Gateway API: the Service Istio creates for the platform's Gateway, known without installIstio.
  // No istiod runs on kwok, so nothing programs the Gateway and its status holds no address (and up did not wait for one).
  expect(outputs.gateway.service).toBe(`${NAMESPACE}/${NAME}-gateway-istio`);
  expect(outputs.gateway.address ?? null).toBeNull();
  const gateway = await getJson(['get', 'gateways.gateway.networking.k8s.io', '-n', NAMESPACE, `${NAME}-gateway`]);
  expect(gateway.status?.addresses ?? []).toEqual([]);
  const deployments = await getJson(['get', 'deployments', '-n', NAMESPACE]);
  for (const deployment of deployments.items) {
    expect(deployment.status.conditions.find((c: Json) => c.type === 'Available')?.status).toBe('True');
    const image = deployment.spec.template.spec.containers[0].image as string;
    expect(Object.values(images)).toContain(image);
  }
  // Pulumi awaited the in-cluster database too.
  const database = await getJson(['get', 'statefulset', '-n', NAMESPACE, `${NAME}-postgres`]);
  expect(database.status.readyReplicas).toBe(1);
});

test('a second preview with --expect-no-changes passes: nothing fights the controllers', async () => {
  succeeded(await project.deploy(['preview', '--expect-no-changes', '--stack', STACK]), 'preview --expect-no-changes');
});

test('stack config canary weights for the progressive order-service are refused with the platform error, and nothing changes', async () => {
  succeeded(await project.pulumi(['config', 'set', '--path', 'canary["order-service"].v2', '100']), 'config set canary v2');
  const preview = await project.deploy(['preview', '--stack', STACK]);
  succeeded(await project.pulumi(['config', 'rm', 'canary']), 'config rm canary');
  expect(preview.code).not.toBe(0);
  expect(`${preview.stdout}\n${preview.stderr}`).toContain('services.order-service.canary.weights: explicit weights cannot be combined with progressive delivery');
  succeeded(await project.deploy(['preview', '--expect-no-changes', '--stack', STACK]), 'preview --expect-no-changes after the refusal');
});

test('the ambient namespace and its waypoint are deployed: the namespace is ambient, the Services name the waypoint', async () => {
  const namespace = await getJson(['get', 'namespace', NAMESPACE]);
  expect(namespace.metadata.labels['istio.io/dataplane-mode']).toBe('ambient');
  const waypoint = await getJson(['get', 'gateways.gateway.networking.k8s.io', '-n', NAMESPACE, 'waypoint']);
  expect(waypoint.spec.gatewayClassName).toBe('istio-waypoint');
  const service = await getJson(['get', 'service', '-n', NAMESPACE, 'user-service']);
  expect(service.metadata.labels['istio.io/use-waypoint']).toBe('waypoint');
  // The progressive order-service's Services are Flagger's: the Canary gives them the waypoint label.
  const canary = await getJson(['get', 'canaries.flagger.app', '-n', NAMESPACE, 'order-service']);
  for (const kind of ['apex', 'primary', 'canary']) expect(canary.spec.service[kind].labels['istio.io/use-waypoint']).toBe('waypoint');
});

test('the secrets reach their Secrets and appear in plain text in no stack output, state file or log', async () => {
  const secret = await getJson(['get', 'secret', '-n', NAMESPACE, 'payment-service-secrets']);
  expect(Buffer.from(secret.data['provider-api-key'], 'base64').toString()).toBe(SECRET);
  const server = await getJson(['get', 'secret', '-n', NAMESPACE, `${NAME}-postgres`]);
  expect(Buffer.from(server.data['postgres-password'], 'base64').toString()).toBe(POSTGRES_PASSWORD);
  const url = new URL(Buffer.from((await getJson(['get', 'secret', '-n', NAMESPACE, 'order-service-database'])).data.url, 'base64').toString());
  expect(`${url.protocol}//${url.username}@${url.host}${url.pathname}`).toBe(`postgres://order_service@${NAME}-postgres.${NAMESPACE}.svc.cluster.local:5432/order_service`);
  expect(url.password).toBe(Buffer.from(server.data.order_service, 'base64').toString());
  const values = [SECRET, POSTGRES_PASSWORD, url.password];
  const leaks = (text: string) => values.some((value) => text.includes(value) || text.includes(Buffer.from(value).toString('base64')));
  const outputs = succeeded(await project.pulumi(['stack', 'output', '--json']), 'stack output').stdout;
  const exported = succeeded(await project.pulumi(['stack', 'export']), 'stack export').stdout;
  expect(leaks(outputs)).toBe(false);
  expect(leaks(exported)).toBe(false);
  for (const file of filesUnder(project.stateDir)) {
    expect({ file, leaks: leaks(readFileSync(file, 'utf8')) }).toEqual({ file, leaks: false });
  }
  expect(leaks(project.log.join('\n'))).toBe(false);
  // Server-side apply: no last-applied annotation carrying the data.
  for (const object of [secret, server]) expect(leaks(JSON.stringify(object.metadata.annotations ?? {}))).toBe(false);
});

test('pulumi destroy leaves no object of the platform behind', async () => {
  succeeded(await project.deploy(['destroy', '--yes', '--stack', STACK]), 'destroy');
  const left = await kubectl([
    'get', 'deployments,statefulsets,services,serviceaccounts,configmaps,secrets,hpa,pdb,virtualservices.networking.istio.io,destinationrules.networking.istio.io,' +
      'authorizationpolicies.security.istio.io,peerauthentications.security.istio.io,gateways.networking.istio.io,telemetries.telemetry.istio.io,' +
      'gateways.gateway.networking.k8s.io,httproutes.gateway.networking.k8s.io,canaries.flagger.app,metrictemplates.flagger.app',
    // Every object of this platform, in any namespace (its ztunnel monitor is in Istio's); other files' platforms have other names.
    '-A', '-l', `app.kubernetes.io/managed-by=${MANAGED_BY},app.kubernetes.io/part-of=${NAME}`, '-o', 'name',
  ]);
  expect(left.trim()).toBe('');
  // Flagger's CRDs stay (retainOnDelete), as the monitoring CRDs do: deleting one would delete every Canary in the cluster.
  await kubectl(['get', 'crd', 'canaries.flagger.app', 'metrictemplates.flagger.app']);
  // The namespace controller finishes the deletion (its pods go first).
  await kubectl(['wait', '--for=delete', `namespace/${NAMESPACE}`, '--timeout=180s']).catch(() => undefined);
  const namespaces = await getJson(['get', 'namespaces']);
  expect(namespaces.items.map((ns: Json) => ns.metadata.name)).not.toContain(NAMESPACE);
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((entry) => join(dir, entry)).filter((path) => statSync(path).isFile());
}
