import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { DeployConfigError, localChartsChecked, parseDeployConfig, parseServiceSecretValues, readDeployConfig } from '../../src/deploy/config';
import { ISTIO } from '../../src/versions';
import { checkSecretValues } from '../../src/deploy/service-secrets';
import { installMocks } from './mocks';

describe('parseDeployConfig', () => {
  test('defaults: environment from the stack name, Istio not installed (from its OCI registry and Docker Hub when it is), LoadBalancer gateway', () => {
    expect(parseDeployConfig({}, 'staging')).toEqual({
      environment: 'staging',
      installIstio: false,
      istioCharts: { kind: 'oci', url: 'oci://ghcr.io/istio/release/charts' },
      istioHub: 'docker.io/istio',
      ingressServiceType: 'LoadBalancer',
    });
  });

  test('an explicit environment wins over the stack name', () => {
    expect(parseDeployConfig({ environment: 'prod' }, 'prod-eu').environment).toBe('prod');
  });

  test('a stack not named after an environment needs the environment set, and the error says how', () => {
    expect(() => parseDeployConfig({}, 'feature-x')).toThrow(
      /mesh-platform:environment: .*\(got nothing\)\. Fix: pulumi config set environment dev/,
    );
  });

  test('every invalid key is reported at once, with what was received and the fix', () => {
    const error = (() => {
      try {
        parseDeployConfig({ environment: 'qa', installIstio: 'yes', ingressServiceType: 'Ingress', canary: { 'order-service': { v1: 150 } } }, 'dev');
      } catch (e) {
        return e as DeployConfigError;
      }
      throw new Error('expected a DeployConfigError');
    })();
    expect(error).toBeInstanceOf(DeployConfigError);
    expect(error.message).toContain('mesh-platform:environment: ');
    expect(error.message).toContain('(got "qa")');
    expect(error.message).toMatch(/mesh-platform:installIstio: .*\(got "yes"\)\. Fix: pulumi config set installIstio true/);
    expect(error.message).toMatch(/mesh-platform:ingressServiceType: .*\(got "Ingress"\)/);
    expect(error.message).toMatch(/mesh-platform:canary\.order-service\.v1: .*\(got 150\)\. Fix: pulumi config set --path/);
  });

  test('overrides must be an object; its fields are the platform schema\'s to check (test/deploy/program.test.ts)', () => {
    expect(() => parseDeployConfig({ overrides: ['namespace', 'shop-2'] }, 'dev')).toThrow(
      /mesh-platform:overrides: expected an object of an environment's overrides \(got \["namespace","shop-2"\]\)\. Fix: pulumi config set --path 'overrides\./,
    );
    expect(parseDeployConfig({ overrides: { namespace: 'shop-2' } }, 'dev').overrides).toEqual({ namespace: 'shop-2' });
  });

  test.each(['kubeconfig', 'kubeContext', 'istioPlatform', 'istioCharts', 'istioHub', 'registry', 'registryUsername'])('an empty %s is named with its fix', (key) => {
    expect(() => parseDeployConfig({ [key]: ' ' }, 'dev')).toThrow(new RegExp(`mesh-platform:${key}: .*\\(got " "\\)\\. Fix: pulumi config (set|rm) `));
  });

  test.each([
    ['oci://registry.example.com/mirror/istio', { kind: 'oci', url: 'oci://registry.example.com/mirror/istio' }],
    ['oci://ghcr.io/istio/release/charts/', { kind: 'oci', url: 'oci://ghcr.io/istio/release/charts' }],
    [ISTIO.helmRepository, { kind: 'repository', url: 'https://blob.istio.io/istio-release/charts' }],
    ['http://charts.internal:8080/istio', { kind: 'repository', url: 'http://charts.internal:8080/istio' }],
    ['/srv/istio-charts', { kind: 'directory', path: '/srv/istio-charts' }],
    ['./dist/istio-charts/', { kind: 'directory', path: './dist/istio-charts' }],
  ])('istioCharts %s is a chart source', (text, source) => {
    expect(parseDeployConfig({ istioCharts: text }, 'dev').istioCharts).toEqual(source);
  });

  test.each([
    ['istio', /neither oci:\/\/…, https:\/\/… nor a directory path/],
    ['gs://istio-release/charts', /unsupported scheme gs:\/\//],
    ['oci://', /not an OCI registry URL/],
  ])('istioCharts %s is refused with the three forms and the fix', (text, message) => {
    expect(() => parseDeployConfig({ istioCharts: text }, 'dev')).toThrow(message);
    expect(() => parseDeployConfig({ istioCharts: text }, 'dev')).toThrow(/mesh-platform:istioCharts: .*Fix: pulumi config set istioCharts https:\/\/blob\.istio\.io\/istio-release\/charts .*npm run -s istio:charts/);
  });

  test('istioPlatform is one of the platforms the charts have a profile for, and the error lists them', () => {
    for (const platform of ISTIO.platforms) expect(parseDeployConfig({ istioPlatform: platform }, 'dev').istioPlatform).toBe(platform);
    expect(() => parseDeployConfig({ istioPlatform: 'kind' }, 'dev')).toThrow(
      /mesh-platform:istioPlatform: .*\(got "kind"\)\. Fix: pulumi config set istioPlatform k3d .*one of gke, k3d, k3s, microk8s, minikube, openshift/,
    );
  });

  test('istioHub is a registry path without scheme or tag', () => {
    expect(parseDeployConfig({ istioHub: 'registry.example.com:5000/mirror/istio' }, 'dev').istioHub).toBe('registry.example.com:5000/mirror/istio');
    for (const hub of ['https://docker.io/istio', 'docker.io/istio/', 'docker.io/istio/pilot:1.31.4', 'Docker.io/Istio']) {
      expect(() => parseDeployConfig({ istioHub: hub }, 'dev')).toThrow(/mesh-platform:istioHub: expected a registry host and path.*Fix: pulumi config set istioHub/);
    }
  });

  test('base images are an object with build and/or runtime only', () => {
    expect(parseDeployConfig({ baseImages: { runtime: 'r@sha256:1' } }, 'dev').baseImages).toEqual({ runtime: 'r@sha256:1' });
    expect(() => parseDeployConfig({ baseImages: { runtme: 'x' } }, 'dev')).toThrow(/mesh-platform:baseImages/);
  });
});

describe('secret values', () => {
  const spec = {
    name: 'shop',
    namespace: 'shop',
    production: true,
    services: [
      { name: 'payment-service', component: 'backend', secret: { name: 'payment-service-secrets', keys: [{ key: 'provider-api-key', env: 'PAYMENT_PROVIDER_API_KEY' }] } },
      { name: 'user-service', component: 'backend' },
    ],
  } as unknown as Parameters<typeof checkSecretValues>[0];

  test('a malformed secrets object names the path, never the value', () => {
    expect(() => parseServiceSecretValues({ 'payment-service': 'hunter2' })).toThrow(/mesh-platform:secrets\.payment-service: expected an object/);
    expect(() => parseServiceSecretValues({ 'payment-service': 'hunter2' })).not.toThrow(/hunter2/);
  });

  test('a value that `config set --path` stored as a number or boolean is named, with the --type string fix', () => {
    expect(() => parseServiceSecretValues({ 'payment-service': { PAYMENT_PROVIDER_API_KEY: 123456 } })).toThrow(
      /mesh-platform:secrets\.payment-service\.PAYMENT_PROVIDER_API_KEY: .*--type string/,
    );
    expect(() => parseServiceSecretValues({ 'payment-service': { PAYMENT_PROVIDER_API_KEY: 123456 } })).not.toThrow(/123456/);
  });

  test('unknown services and variables are named with what exists', () => {
    expect(() => checkSecretValues({ ...spec, production: false }, { 'payment-servce': { X: 'v' } })).toThrow(
      /secrets\.payment-servce: no service with secrets is named "payment-servce" \(services with secrets: payment-service\)/,
    );
    expect(() => checkSecretValues({ ...spec, production: false }, { 'payment-service': { API_KEY: 'v' } })).toThrow(
      /secrets\.payment-service\.API_KEY: payment-service reads no secret API_KEY \(it reads: PAYMENT_PROVIDER_API_KEY\)/,
    );
  });

  test('production requires every declared secret, naming the service, the variable and its own config key; other environments run without (sandbox mode)', () => {
    expect(() => checkSecretValues(spec, {})).toThrow(
      "mesh-platform:secrets.payment-service.PAYMENT_PROVIDER_API_KEY: payment-service reads the secret PAYMENT_PROVIDER_API_KEY, which is required in a production environment but not set. Fix: pulumi config set --secret --path 'secrets[\"payment-service\"].PAYMENT_PROVIDER_API_KEY' <value>",
    );
    const withInventory = {
      ...spec,
      services: [...spec.services, { name: 'inventory-service', component: 'backend', secret: { name: 'inventory-service-secrets', keys: [{ key: 'db-password', env: 'DB_PASSWORD' }] } }],
    } as typeof spec;
    const message = (() => {
      try {
        checkSecretValues(withInventory, { 'payment-service': { PAYMENT_PROVIDER_API_KEY: 'v' } });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain(`secrets.inventory-service.DB_PASSWORD: inventory-service reads the secret DB_PASSWORD`);
    expect(message).toContain(`Fix: pulumi config set --secret --path 'secrets["inventory-service"].DB_PASSWORD' <value>`);
    expect(message).not.toContain('payment-service');
    expect(() => checkSecretValues({ ...spec, production: false }, {})).not.toThrow();
    const other = { ...spec, services: [{ name: 'zz-test-ledger', secret: { name: 'zz-test-ledger-secrets', keys: [{ key: 'token', env: 'LEDGER_TOKEN' }] } }] };
    expect(() => checkSecretValues(other as unknown as typeof spec, {})).toThrow(
      "mesh-platform:secrets.zz-test-ledger.LEDGER_TOKEN: zz-test-ledger reads the secret LEDGER_TOKEN, which is required in a production environment but not set. Fix: pulumi config set --secret --path 'secrets[\"zz-test-ledger\"].LEDGER_TOKEN' <value>",
    );
    expect(() => checkSecretValues(spec, { 'payment-service': { PAYMENT_PROVIDER_API_KEY: 'v' } })).not.toThrow();
  });
});

describe('a directory of packaged charts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'istio-charts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('is made absolute once the five charts are there', () => {
    for (const chart of ['base', 'cni', 'istiod', 'gateway', 'ztunnel']) writeFileSync(join(dir, `${chart}-${ISTIO.version}.tgz`), '');
    const relativePath = relative(process.cwd(), dir);
    expect(localChartsChecked({ kind: 'directory', path: relativePath })).toEqual({ kind: 'directory', path: dir });
  });

  test('without them is an error naming the missing files and the command that packages them', () => {
    writeFileSync(join(dir, `base-${ISTIO.version}.tgz`), '');
    expect(() => localChartsChecked({ kind: 'directory', path: dir })).toThrow(
      new RegExp(`mesh-platform:istioCharts: the directory ${dir} has no cni-1\\.31\\.4\\.tgz, istiod-1\\.31\\.4\\.tgz, gateway-1\\.31\\.4\\.tgz, ztunnel-1\\.31\\.4\\.tgz\\. Fix: npm run -s istio:charts -- --out ${dir}`),
    );
  });

  test('other sources are left as they are', () => {
    expect(localChartsChecked({ kind: 'oci', url: ISTIO.ociCharts })).toEqual({ kind: 'oci', url: ISTIO.ociCharts });
  });
});

describe('readDeployConfig', () => {
  afterEach(() => pulumi.runtime.setAllConfig({}));

  test('reads the stack config once; passwords and secrets stay Pulumi secrets', async () => {
    installMocks('prod');
    pulumi.runtime.setAllConfig(
      {
        'mesh-platform:registry': 'ghcr.io/acme/shop',
        'mesh-platform:registryUsername': 'ci',
        'mesh-platform:registryPassword': 'token-123',
        'mesh-platform:installIstio': 'true',
        'mesh-platform:canary': JSON.stringify({ 'order-service': { v1: 50, v2: 50 } }),
        'mesh-platform:overrides': JSON.stringify({ observability: { prometheus: { url: 'http://prometheus.ops:9090' } } }),
        'mesh-platform:secrets': JSON.stringify({ 'payment-service': { PAYMENT_PROVIDER_API_KEY: 'k' } }),
      },
      ['mesh-platform:registryPassword', 'mesh-platform:secrets'],
    );
    const config = readDeployConfig();
    expect(config).toMatchObject({ environment: 'prod', registry: 'ghcr.io/acme/shop', installIstio: true, canary: { 'order-service': { v1: 50, v2: 50 } },
      overrides: { observability: { prometheus: { url: 'http://prometheus.ops:9090' } } } });
    expect(config.registryCredentials?.username).toBe('ci');
    expect(await pulumi.isSecret(config.registryCredentials!.password)).toBe(true);
    expect(await pulumi.isSecret(config.secrets)).toBe(true);
  });

  test('checks a chart directory only when it installs Istio', () => {
    installMocks('dev');
    pulumi.runtime.setAllConfig({ 'mesh-platform:istioCharts': '/nonexistent/istio-charts' });
    expect(readDeployConfig().istioCharts).toEqual({ kind: 'directory', path: '/nonexistent/istio-charts' });
    pulumi.runtime.setAllConfig({ 'mesh-platform:istioCharts': '/nonexistent/istio-charts', 'mesh-platform:installIstio': 'true' });
    expect(() => readDeployConfig()).toThrow(/mesh-platform:istioCharts: the directory \/nonexistent\/istio-charts has no base-1\.31\.4\.tgz/);
  });

  test('a password without a user name is an error naming the missing key, not silently ignored', () => {
    installMocks('dev');
    pulumi.runtime.setAllConfig({ 'mesh-platform:registryPassword': 'token-123' }, ['mesh-platform:registryPassword']);
    expect(() => readDeployConfig()).toThrow(/mesh-platform:registryUsername: .*registryPassword is set.*Fix: pulumi config set registryUsername/);
    expect(() => readDeployConfig()).not.toThrow(/token-123/);
  });

  test('a user name without the password fails with Pulumi\'s message naming the secret key', () => {
    installMocks('dev');
    pulumi.runtime.setAllConfig({ 'mesh-platform:registryUsername': 'ci' });
    expect(() => readDeployConfig()).toThrow(/mesh-platform:registryPassword/);
  });
});
