/**
 * With `installIstio: false`, the program checks up front that the cluster serves the Gateway API CRDs of the
 * environment's channel: against a fake API server on loopback whose discovery (`/apis/<group>/<version>`) serves the
 * CRDs of a committed bundle, or none, and which insists on the kubeconfig's bearer token as a real API server would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { clusterPreflight } from '../../src/deploy/cluster-preflight';
import { gatewayApiCrdObjects, gatewayApiCrdsFile } from '../../src/deploy/gateway-api-crds';
import { gatewayApiPreflight } from '../../src/deploy/gateway-api-preflight';
import type { GatewayApiChannel } from '../../src/description/modes';

const TOKEN = 'preflight-test-token';
const dir = mkdtempSync(join(tmpdir(), 'gateway-api-preflight-'));
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((server) => new Promise((done) => server.close(done)))));

/** Discovery documents (`group/version` → resource names) of a cluster that has `channel`'s bundle applied. */
function discoveryOf(channel: GatewayApiChannel): Map<string, string[]> {
  const served = new Map<string, string[]>();
  for (const crd of gatewayApiCrdObjects(gatewayApiCrdsFile(channel)).filter((o) => o.kind === 'CustomResourceDefinition')) {
    const spec = crd.spec as { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] };
    for (const version of spec.versions.filter((v) => v.served)) {
      const key = `${spec.group}/${version.name}`;
      served.set(key, [...(served.get(key) ?? []), spec.names.plural]);
    }
  }
  return served;
}

/** A fake API server serving `discovery` to requests with the token; returns a kubeconfig file for it. */
async function fakeCluster(name: string, discovery: Map<string, string[]>, user: Record<string, unknown> = { token: TOKEN }): Promise<string> {
  const server = createServer((request, response) => {
    const resources = discovery.get(request.url!.replace(/^\/apis\//, ''));
    if (request.headers.authorization !== `Bearer ${TOKEN}`) response.writeHead(401).end('{"kind":"Status","code":401}');
    else if (!resources) response.writeHead(404).end('{"kind":"Status","code":404}');
    else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'APIResourceList', resources: resources.map((plural) => ({ name: plural })) }));
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'ctx',
    clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${(server.address() as { port: number }).port}` } }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    users: [{ name: 'u', user }],
  }));
  return path;
}

/** The program's two checks in order, as runProgram runs them. */
async function preflight(kubeconfig: string, channel: GatewayApiChannel): Promise<void> {
  await gatewayApiPreflight(channel, await clusterPreflight({ kubeconfig }));
}

test('a cluster with the channel\'s CRDs passes, for either channel', async () => {
  for (const channel of ['standard', 'experimental'] as const) {
    await expect(preflight(await fakeCluster(`has-${channel}`, discoveryOf(channel)), channel)).resolves.toBeUndefined();
  }
});

test('a cluster without the Gateway API names every missing CRD, the channel and the fix', async () => {
  const error = preflight(await fakeCluster('none', new Map()), 'standard');
  await expect(error).rejects.toThrow(/mesh-platform:installIstio: the cluster of context "ctx" lacks Gateway API CRDs the environment needs \(Gateway API v\d+\.\d+\.\d+, standard channel\): .*httproutes\.gateway\.networking\.k8s\.io \(v1, v1beta1\); /);
  await expect(error).rejects.toThrow(/gateways\.gateway\.networking\.k8s\.io \(v1, v1beta1\)/);
  await expect(error).rejects.toThrow(/Fix: kubectl apply --server-side -f imports\/crds\/gateway-api-v[\d.]+-standard\.yaml .*or pulumi config set installIstio true$/);
});

test('an environment on the experimental channel against the standard channel\'s CRDs names what only the experimental channel serves', async () => {
  const error = preflight(await fakeCluster('standard-only', discoveryOf('standard')), 'experimental');
  await expect(error).rejects.toThrow(/experimental channel\): .*xbackendtrafficpolicies\.gateway\.networking\.x-k8s\.io \(v1alpha1\)/);
  await expect(error).rejects.toThrow(/tcproutes\.gateway\.networking\.k8s\.io \(v1alpha2\)/);
  await expect(error).rejects.not.toThrow(/httproutes/);
  await expect(error).rejects.toThrow(/Fix: kubectl apply --server-side -f imports\/crds\/gateway-api-v[\d.]+-experimental\.yaml/);
});

test('credentials the check does not implement skip it with a warning instead of failing the deploy', async () => {
  const path = await fakeCluster('auth-provider', new Map(), { 'auth-provider': { name: 'oidc' } });
  await expect(preflight(path, 'standard')).resolves.toBeUndefined();
});
