/** The Istio installation component under Pulumi's mocks: which releases, from where, with exactly which values. */
import { IstioInstallation, istioReleasePlans, type IstioInstallationArgs } from '../../src/deploy/istio-installation';
import { parseIstioChartSource, releaseChart } from '../../src/deploy/istio-charts/source';
import { ISTIO } from '../../src/versions';
import { installMocks, settle, type Registration } from './mocks';

const GATEWAY: IstioInstallationArgs['gateway'] = { namespace: 'istio-ingress', selector: { istio: 'ingressgateway' }, serviceAccount: 'gw' };

async function install(args: Partial<IstioInstallationArgs> = {}): Promise<Registration[]> {
  const recorded = installMocks('dev');
  new IstioInstallation('istio', { gateway: GATEWAY, ...args });
  await settle();
  return recorded().filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
}

const values = (releases: Registration[], name: string) => releases.find((r) => r.name === name)?.inputs.values;

describe('chart sources', () => {
  test.each([
    [{ kind: 'oci', url: 'oci://ghcr.io/istio/release/charts' }, { chart: 'oci://ghcr.io/istio/release/charts/cni' }],
    [{ kind: 'repository', url: 'https://blob.istio.io/istio-release/charts' }, { chart: 'cni', repositoryOpts: { repo: 'https://blob.istio.io/istio-release/charts' } }],
    [{ kind: 'directory', path: '/srv/charts/' }, { chart: '/srv/charts/cni-1.31.4.tgz' }],
  ] as const)('%j installs the cni chart as %j', (source, expected) => {
    expect(releaseChart(source, 'cni')).toEqual(expected);
  });

  test('the parser tells the three kinds apart', () => {
    expect(parseIstioChartSource(ISTIO.ociCharts)).toEqual({ kind: 'oci', url: ISTIO.ociCharts });
    expect(parseIstioChartSource(ISTIO.helmRepository)).toEqual({ kind: 'repository', url: ISTIO.helmRepository });
    expect(parseIstioChartSource('/')).toEqual({ kind: 'directory', path: '/' });
    expect(parseIstioChartSource('../charts')).toEqual({ kind: 'directory', path: '../charts' });
    expect(parseIstioChartSource('charts')).toHaveProperty('problem');
  });
});

describe('IstioInstallation', () => {
  test('defaults: Istio 1.31.4 from its OCI registry, images from Docker Hub, CNI on, no platform', async () => {
    const releases = await install();
    expect(releases.map((r) => [r.name, r.inputs.chart, r.inputs.version, r.inputs.namespace])).toEqual([
      ['istio-base', 'oci://ghcr.io/istio/release/charts/base', '1.31.4', 'istio-system'],
      ['istio-cni', 'oci://ghcr.io/istio/release/charts/cni', '1.31.4', 'istio-system'],
      ['istiod', 'oci://ghcr.io/istio/release/charts/istiod', '1.31.4', 'istio-system'],
      ['istio-ingressgateway', 'oci://ghcr.io/istio/release/charts/gateway', '1.31.4', 'istio-ingress'],
    ]);
    // Exactly these values, nothing the 1.31 charts do not define.
    expect(values(releases, 'istio-base')).toEqual({ defaultRevision: 'default' });
    expect(values(releases, 'istio-cni')).toEqual({ global: { hub: 'docker.io/istio', tag: '1.31.4' } });
    expect(values(releases, 'istiod')).toEqual({
      global: { hub: 'docker.io/istio', tag: '1.31.4' },
      cni: { enabled: true },
      // Routes that set no retries (every HTTPRoute) retry only requests that never reached the service.
      meshConfig: { defaultHttpRetryPolicy: { attempts: 2, retryOn: 'connect-failure,refused-stream' } },
    });
    expect(values(releases, 'istio-ingressgateway')).toEqual({
      service: { type: 'LoadBalancer' },
      labels: { istio: 'ingressgateway' },
      serviceAccount: { name: 'gw' },
    });
    for (const release of releases) expect(release.inputs).toMatchObject({ atomic: true, cleanupOnFail: true, createNamespace: true });
  });

  test('each release waits for every release before it', async () => {
    const releases = await install();
    releases.forEach((release, index) => {
      expect(release.dependencies).toEqual(expect.arrayContaining(releases.slice(0, index).map((r) => r.urn)));
    });
  });

  test.each(ISTIO.platforms)('platform %s is global.platform of the cni and istiod charts only', async (platform) => {
    const releases = await install({ platform });
    expect(values(releases, 'istio-cni')).toEqual({ global: { hub: 'docker.io/istio', tag: '1.31.4', platform } });
    expect(values(releases, 'istiod')).toMatchObject({ global: { platform } });
    expect(JSON.stringify(values(releases, 'istio-base'))).not.toContain(platform);
    expect(JSON.stringify(values(releases, 'istio-ingressgateway'))).not.toContain('platform');
  });

  test('a hub mirror replaces Docker Hub; the tag stays the release\'s', async () => {
    const releases = await install({ hub: 'registry.internal:5000/istio' });
    for (const name of ['istio-cni', 'istiod']) expect(values(releases, name)).toMatchObject({ global: { hub: 'registry.internal:5000/istio', tag: '1.31.4' } });
  });

  test('without the CNI: no cni release, and istiod injects istio-init', async () => {
    const releases = await install({ cni: false });
    expect(releases.map((r) => r.name)).toEqual(['istio-base', 'istiod', 'istio-ingressgateway']);
    expect(values(releases, 'istiod')).toMatchObject({ cni: { enabled: false } });
  });

  test('the plans are what the component registers', async () => {
    const args = { gateway: GATEWAY, platform: 'openshift', ingressServiceType: 'NodePort' } as const;
    const releases = await install(args);
    expect(releases.map((r) => ({ name: r.name, namespace: r.inputs.namespace, values: r.inputs.values }))).toEqual(
      istioReleasePlans(args).map(({ name, namespace, values: v }) => ({ name, namespace, values: v })),
    );
  });
});
