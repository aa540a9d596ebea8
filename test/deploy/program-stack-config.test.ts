/**
 * The Pulumi program under Pulumi's unit-test mocks, with stack config beyond the defaults: Istio's installation and
 * its sources, canary weights, overrides, secrets left unset. Each environment's default deploy is in program.test.ts.
 */
import * as pulumi from '@pulumi/pulumi';
import { parseDeployConfig, type DatabaseUrls, type DeployConfig, type ServiceSecretValues } from '../../src/deploy/config';
import { installsDeliveryCrds } from '../../src/deploy/delivery-crds';
import { deployPlatform } from '../../src/deploy/program';
import { imageReferences } from '../../src/images/index';
import { synthesizePlatform } from '../../src/platform';
import { ISTIO } from '../../src/versions';
import { installMocks, MOCK_GATEWAY_IP, valueOf } from './mocks';
import {
  API_KEY, asJson, DATABASE_URLS, deploy, expectedObjects, find, isCommittedCrd, nameOf, objectRegistrations, REGISTRY, type Run, SECRETS, typeToken,
} from './support/program-run';

describe('with installIstio (staging: sidecars, Istio routing)', () => {
  let run: Run;
  beforeAll(async () => {
    run = await deploy('staging', { installIstio: 'true', ingressServiceType: 'NodePort' });
  });

  test('installs base, cni, istiod and gateway from Istio\'s OCI registry at the pinned version, in order', () => {
    const releases = run.registrations.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
    expect(releases.map((r) => r.name)).toEqual(['istio-base', 'istio-cni', 'istiod', 'istio-ingressgateway']);
    const charts = { 'istio-base': 'base', 'istio-cni': 'cni', istiod: 'istiod', 'istio-ingressgateway': 'gateway' };
    for (const release of releases) {
      expect(ISTIO.version).toBe('1.31.4');
      expect(release.inputs).toMatchObject({ version: '1.31.4', chart: `oci://ghcr.io/istio/release/charts/${charts[release.name as keyof typeof charts]}` });
      // An OCI chart is pulled by its reference; `repositoryOpts` would make the provider look for an index.yaml.
      expect(release.inputs.repositoryOpts).toBeUndefined();
    }
    const urn = (name: string) => releases.find((r) => r.name === name)!.urn;
    const deps = (name: string) => releases.find((r) => r.name === name)!.dependencies;
    expect(deps('istio-cni')).toContain(urn('istio-base'));
    expect(deps('istiod')).toEqual(expect.arrayContaining([urn('istio-base'), urn('istio-cni')]));
    expect(deps('istio-ingressgateway')).toContain(urn('istiod'));
    // Restricted pods need the CNI instead of the NET_ADMIN init container.
    expect(releases.find((r) => r.name === 'istiod')!.inputs.values).toMatchObject({ cni: { enabled: true } });
    // The release's images, whatever the charts' defaults.
    for (const name of ['istio-cni', 'istiod']) {
      expect(releases.find((r) => r.name === name)!.inputs.values).toMatchObject({ global: { hub: 'docker.io/istio', tag: '1.31.4' } });
    }
    // The gateway is the one the platform's Gateway selects and its policies allow.
    expect(releases.find((r) => r.name === 'istio-ingressgateway')!.inputs).toMatchObject({
      namespace: 'istio-system',
      values: { labels: { istio: 'ingressgateway' }, serviceAccount: { name: 'istio-ingressgateway' }, service: { type: 'NodePort' } },
    });
  });

  test('applies Istio resources and workloads only after the whole installation', () => {
    const releases = run.registrations.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release').map((r) => r.urn);
    const dependents = objectRegistrations(run).filter((r) => r.type !== 'kubernetes:core/v1:Namespace' && !isCommittedCrd(r));
    expect(dependents.some((r) => r.type.includes('.istio.io/'))).toBe(true);
    for (const registration of dependents) expect(registration.dependencies).toEqual(expect.arrayContaining(releases));
  });

  test('exports the gateway Service and its address', async () => {
    expect(await valueOf(run.outputs.gateway.service!)).toBe('istio-system/istio-ingressgateway');
    expect(await valueOf(run.outputs.gateway.address!)).toBe(MOCK_GATEWAY_IP);
  });
});

describe('with installIstio (dev: ambient, Gateway API routing)', () => {
  let run: Run;
  beforeAll(async () => {
    run = await deploy('dev', { installIstio: 'true' });
  });
  const releases = () => run.registrations.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
  const crds = () => run.registrations.filter((r) => r.type === 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition' && !isCommittedCrd(r));

  test('installs the ambient profile: base, cni, istiod and ztunnel from the same chart source; no gateway chart', () => {
    expect(releases().map((r) => [r.name, r.inputs.chart])).toEqual(
      [['istio-base', 'base'], ['istio-cni', 'cni'], ['istiod', 'istiod'], ['ztunnel', 'ztunnel']].map(([name, chart]) => [name, `oci://ghcr.io/istio/release/charts/${chart}`]),
    );
    const values = (name: string) => releases().find((r) => r.name === name)!.inputs.values;
    for (const name of ['istio-cni', 'istiod', 'ztunnel']) expect(values(name)).toMatchObject({ profile: 'ambient' });
    expect(values('ztunnel')).toEqual({ profile: 'ambient', hub: 'docker.io/istio', tag: '1.31.4' });
    // A POST is never retried after it reached the service: HTTPRoutes carry no retry, so istiod's default applies.
    expect(values('istiod')).toMatchObject({ meshConfig: { defaultHttpRetryPolicy: { attempts: 2, retryOn: 'connect-failure,refused-stream' } } });
  });

  test("installs the committed Gateway API CRDs of dev's channel (experimental) before istiod, and the routes after the whole installation", () => {
    expect(crds().map((r) => r.name).sort()).toEqual([
      ...['backendtlspolicies', 'gatewayclasses', 'gateways', 'grpcroutes', 'httproutes', 'listenersets', 'referencegrants', 'tcproutes', 'tlsroutes', 'udproutes']
        .map((plural) => `${plural}.gateway.networking.k8s.io`),
      ...['xbackendtrafficpolicies', 'xmeshes'].map((plural) => `${plural}.gateway.networking.x-k8s.io`),
    ]);
    for (const crd of crds()) {
      expect((crd.inputs.metadata as { annotations: Record<string, string> }).annotations['gateway.networking.k8s.io/channel']).toBe('experimental');
    }
    const istiod = releases().find((r) => r.name === 'istiod')!;
    for (const crd of crds()) expect(istiod.dependencies).toContain(crd.urn);
    const route = objectRegistrations(run).find((r) => r.type === 'kubernetes:gateway.networking.k8s.io/v1:HTTPRoute')!;
    expect(route.dependencies).toEqual(expect.arrayContaining(releases().map((r) => r.urn)));
  });

  test("labels Istio's namespace privileged for the CNI and ztunnel, before any chart", () => {
    const namespace = run.registrations.find((r) => r.type === 'kubernetes:core/v1:Namespace' && r.name === 'istio-system')!;
    expect((namespace.inputs.metadata as { labels: object }).labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged' });
    for (const release of releases()) expect(release.dependencies).toContain(namespace.urn);
  });

  test('exports the Service Istio creates for the platform\'s Gateway and the address in the Gateway\'s status', async () => {
    expect(await valueOf(run.outputs.gateway.service!)).toBe('shop/shop-gateway-istio');
    expect(await valueOf(run.outputs.gateway.address!)).toBe(MOCK_GATEWAY_IP);
  });
});

describe('Istio stack config', () => {
  const releasesOf = (run: Run) => run.registrations.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');

  test('istioCharts: a Helm repository gives chart names and repositoryOpts', async () => {
    const run = await deploy('staging', { installIstio: 'true', istioCharts: ISTIO.helmRepository });
    expect(releasesOf(run).map((r) => [r.inputs.chart, r.inputs.repositoryOpts, r.inputs.version])).toEqual(
      ['base', 'cni', 'istiod', 'gateway'].map((chart) => [chart, { repo: 'https://blob.istio.io/istio-release/charts' }, '1.31.4']),
    );
  });

  test('istioCharts: a mirror OCI registry, istioHub and istioPlatform reach the releases', async () => {
    const run = await deploy('staging', {
      installIstio: 'true',
      istioCharts: 'oci://registry.internal/istio/charts',
      istioHub: 'registry.internal/istio',
      istioPlatform: 'k3d',
    });
    const releases = releasesOf(run);
    expect(releases.map((r) => r.inputs.chart)).toEqual(['base', 'cni', 'istiod', 'gateway'].map((c) => `oci://registry.internal/istio/charts/${c}`));
    const values = (name: string) => releases.find((r) => r.name === name)!.inputs.values;
    expect(values('istio-cni')).toEqual({ global: { hub: 'registry.internal/istio', tag: '1.31.4', platform: 'k3d' } });
    expect(values('istiod')).toMatchObject({ global: { hub: 'registry.internal/istio', tag: '1.31.4', platform: 'k3d' } });
  });

  test('istioCharts: a directory gives the packaged charts\' paths', async () => {
    const run = await deploy('staging', { installIstio: 'true', istioCharts: '/srv/istio-charts' });
    expect(releasesOf(run).map((r) => r.inputs.chart)).toEqual(
      ['base', 'cni', 'istiod', 'gateway'].map((chart) => `/srv/istio-charts/${chart}-1.31.4.tgz`),
    );
    for (const release of releasesOf(run)) expect(release.inputs.repositoryOpts).toBeUndefined();
  });
});

test('without installIstio nothing is installed and nothing waits for an installation', async () => {
  const run = await deploy('dev');
  expect(run.registrations.filter((r) => r.type.startsWith('kubernetes:helm.sh'))).toEqual([]);
  // The routes depend on their Namespace (and the monitoring and Flagger CRDs dev asks for) only: the cluster already has Istio's
  // and the Gateway API's CRDs.
  const committedCrds = objectRegistrations(run).filter(isCommittedCrd);
  const route = objectRegistrations(run).find((r) => r.type === 'kubernetes:gateway.networking.k8s.io/v1:HTTPRoute')!;
  const others = route.dependencies.filter((urn) => !committedCrds.some((crd) => crd.urn === urn));
  expect(others.map((urn) => urn.split('::').pop())).toEqual([expect.stringMatching(/^[a-z-]+$/)]);
  expect(run.registrations.filter((r) => r.type === 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition')).toEqual(committedCrds);
  // The Gateway API ingress is the platform's own Gateway, whoever installed Istio: its Service and address are known.
  expect(await valueOf(run.outputs.gateway.service!)).toBe('shop/shop-gateway-istio');
  expect(await valueOf(run.outputs.gateway.address!)).toBe(MOCK_GATEWAY_IP);
});

test('with Istio routing and without installIstio the gateway is the cluster\'s own: no Service or address is exported', async () => {
  const run = await deploy('staging');
  expect(run.outputs.gateway).toEqual({ hosts: ['*'] });
  expect(run.registrations.filter((r) => r.name === 'ingress-gateway')).toEqual([]);
});

// Staging: dev delivers order-service progressively, where Flagger sets the weights (docs/delivery.md).
test('stack config canary weights shift the traffic and the exported weights', async () => {
  const canary = JSON.stringify({ 'order-service': { v1: 20, v2: 80 } });
  const run = await deploy('staging', { canary: JSON.parse(canary) });
  expect(run.outputs.canary['order-service']).toEqual({ v1: 20, v2: 80 });
  const expected = expectedObjects('staging', { services: { 'order-service': { canary: { weights: { v1: 20, v2: 80 } } } } });
  const routes = expected.filter((o) => o.kind === 'VirtualService');
  for (const route of routes) expect(find(run, typeToken(route), nameOf(route)).inputs).toEqual(asJson(route));
  const weights = JSON.stringify(routes.map((r) => r.spec));
  expect(weights).toContain('"weight":80');
});

test('invalid canary weights stop the deployment with the platform error', async () => {
  await expect(deploy('dev', { canary: { 'order-service': { v1: 80, v2: 30 } } })).rejects.toThrow(/order-service.*canary.*100/);
});

test('a production environment that routes alerts needs the webhook URL; the error names the key and the command', async () => {
  installMocks('prod');
  const config: DeployConfig = {
    ...parseDeployConfig({ registry: REGISTRY }, 'prod'),
    secrets: pulumi.secret(SECRETS) as pulumi.Output<ServiceSecretValues>,
    databases: pulumi.secret(DATABASE_URLS.prod) as pulumi.Output<DatabaseUrls>,
  };
  await expect(deployPlatform(config)).rejects.toThrow(
    'mesh-platform:alertWebhookUrl: is required: the production environment routes its alerts to this webhook. Fix: pulumi config set --secret alertWebhookUrl https://alerts.example.com/hooks/<token>',
  );
});

test('Flagger\'s CRDs are installed only for an environment with a progressive service whose delivery.crds is install', () => {
  const { spec } = synthesizePlatform('dev', { images: imageReferences(REGISTRY) });
  expect(spec.delivery.crds).toBe('install');
  expect(installsDeliveryCrds(spec)).toBe(true);
  expect(installsDeliveryCrds({ ...spec, delivery: { crds: 'present' } })).toBe(false);
  expect(installsDeliveryCrds(synthesizePlatform('staging', { images: imageReferences(REGISTRY) }).spec)).toBe(false);
});

test('stack config canary weights for dev\'s progressive order-service stop the deployment with the platform error', async () => {
  await expect(deploy('dev', { canary: { 'order-service': { v2: 100 } } }))
    .rejects.toThrow('services.order-service.canary.weights: explicit weights cannot be combined with progressive delivery');
});

describe('stack config overrides (dev against another cluster\'s Prometheus, with a short analysis)', () => {
  const prometheus = 'http://127.0.0.1:9091';
  const overrides = {
    observability: { prometheus: { url: prometheus } },
    services: { 'order-service': { delivery: { interval: '10s', stepWeight: 25, maxWeight: 50, threshold: 2 } } },
  };

  test('apply on top of the environment: every object is the chart\'s synthesis with them', async () => {
    const run = await deploy('dev', { overrides });
    const expected = expectedObjects('dev', overrides);
    for (const object of expected.filter((o) => o.kind !== 'Secret')) {
      expect(find(run, typeToken(object), nameOf(object)).inputs).toEqual(asJson(object));
    }
    const templates = expected.filter((o) => o.kind === 'MetricTemplate');
    expect(templates.length).toBeGreaterThan(0);
    for (const template of templates) expect((template.spec as { provider: { address: string } }).provider.address).toBe(prometheus);
    const canary = expected.find((o) => o.kind === 'Canary')!;
    expect((canary.spec as { analysis: object }).analysis).toMatchObject({ interval: '10s', stepWeight: 25, maxWeight: 50, threshold: 2 });
  });

  test('a problem they cause names the key, the field, the problem and the fix, one line each', async () => {
    const invalid = { services: { 'order-service': { delivery: { interval: 'soon', stepWeigth: 5 } } }, observability: { prometheus: { url: 'prometheus' } } };
    const error = await deploy('dev', { overrides: invalid }).then(() => undefined, (e: Error) => e);
    expect(error?.message.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^ {2}- mesh-platform:overrides\.observability\.prometheus\.url: .*\(got the string "prometheus"\)\. Fix: pulumi config set --path 'overrides\.observability\.prometheus\.url' <value>/),
      `  - mesh-platform:overrides.services.order-service.delivery.interval: must be a duration such as "30s", "1m" or "1h" (got the string "soon"). ` +
        `Fix: pulumi config set --path 'overrides.services["order-service"].delivery.interval' <value>, or pulumi config rm --path 'overrides.services["order-service"].delivery.interval'`,
      `  - mesh-platform:overrides.services.order-service.delivery: unknown field "stepWeigth". Fix: remove it or correct its spelling: ` +
        `pulumi config set --path 'overrides.services["order-service"].delivery' <value>, or pulumi config rm --path 'overrides.services["order-service"].delivery'`,
    ]);
  });

  test('a service the description lacks is named with a suggestion', async () => {
    await expect(deploy('dev', { overrides: { services: { 'ordr-service': { replicas: 2 } } } })).rejects.toThrow(
      'mesh-platform:overrides.services.ordr-service: no service named "ordr-service" (services: user-service, order-service, payment-service). Fix: did you mean "order-service"?',
    );
  });

  test('canary weights a progressive service cannot take keep the platform error, overrides or not', async () => {
    await expect(deploy('dev', { overrides, canary: { 'order-service': { v2: 100 } } }))
      .rejects.toThrow('services.order-service.canary.weights: explicit weights cannot be combined with progressive delivery');
  });
});

test('a service secret with no value set (dev\'s sandbox mode) is applied without stringData, so no deploy replaces it', async () => {
  const run = await deploy('dev', {}, {});
  const secret = find(run, 'kubernetes:core/v1:Secret', 'shop/payment-service-secrets');
  expect(secret.inputs).not.toHaveProperty('stringData');
  const withValue = find(await deploy('dev'), 'kubernetes:core/v1:Secret', 'shop/payment-service-secrets');
  expect(withValue.inputs.stringData).toEqual({ 'provider-api-key': API_KEY });
  expect(withValue.secretInputs.has('stringData')).toBe(true);
});
