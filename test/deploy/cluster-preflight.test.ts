/** The deploy's cluster check fails fast with the kubeconfig and context named, before the provider tries anything. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { clusterPreflight } from '../../src/deploy/cluster-preflight';

const dir = mkdtempSync(join(tmpdir(), 'preflight-'));
let server: Server;
let openPort: number;
let closedPort: number;

const listen = () =>
  new Promise<Server>((resolve) => {
    const s = createServer((socket) => socket.destroy());
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
const portOf = (s: Server) => (s.address() as { port: number }).port;

/** A kubeconfig file whose context `ctx` points at 127.0.0.1:<port>. */
function kubeconfigFile(name: string, port: number, current = 'ctx'): string {
  const path = join(dir, name);
  writeFileSync(path, stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': current,
    clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}` } }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    users: [{ name: 'u', user: {} }],
  }));
  return path;
}

beforeAll(async () => {
  server = await listen();
  openPort = portOf(server);
  const closed = await listen();
  closedPort = portOf(closed);
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

test('a reachable cluster passes', async () => {
  await expect(clusterPreflight({ kubeconfig: kubeconfigFile('ok.yaml', openPort) })).resolves.toMatchObject({ context: 'ctx', cluster: { server: `https://127.0.0.1:${openPort}` } });
});

test('an unreachable cluster fails at once, naming the kubeconfig, the context and the server', async () => {
  const path = kubeconfigFile('down.yaml', closedPort);
  const started = Date.now();
  await expect(clusterPreflight({ kubeconfig: path })).rejects.toThrow(
    `mesh-platform:kubeconfig: the cluster of context "ctx" in ${path} (https://127.0.0.1:${closedPort}) is unreachable: connect ECONNREFUSED`,
  );
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a context the kubeconfig lacks is named with the ones it has and the fix', async () => {
  const path = kubeconfigFile('ok2.yaml', openPort);
  await expect(clusterPreflight({ kubeconfig: path, kubeContext: 'kind-mesh' })).rejects.toThrow(
    new RegExp(`mesh-platform:kubeContext: context "kind-mesh" is not in ${path} \\(contexts: ctx\\)\\. Fix: pulumi config set kubeContext`),
  );
});

test('without config kubeconfig, $KUBECONFIG is read; a missing file is named', async () => {
  const missing = join(dir, 'nope.yaml');
  await expect(clusterPreflight({}, { KUBECONFIG: missing })).rejects.toThrow(`mesh-platform:kubeconfig: no kubeconfig: ${missing} does not exist`);
  await expect(clusterPreflight({}, { KUBECONFIG: kubeconfigFile('env.yaml', openPort) })).resolves.toMatchObject({ context: 'ctx' });
});
