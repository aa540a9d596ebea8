import * as pulumi from '@pulumi/pulumi';
import { DeployConfigError, parseDeployConfig, parseServiceSecretValues, readDeployConfig } from '../../src/deploy/config';
import { checkSecretValues } from '../../src/deploy/service-secrets';
import { installMocks } from './mocks';

describe('parseDeployConfig', () => {
  test('defaults: environment from the stack name, Istio not installed, LoadBalancer gateway', () => {
    expect(parseDeployConfig({}, 'staging')).toEqual({ environment: 'staging', installIstio: false, ingressServiceType: 'LoadBalancer' });
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

  test.each(['kubeconfig', 'kubeContext', 'istioPlatform', 'registry', 'registryUsername'])('an empty %s is named with its fix', (key) => {
    expect(() => parseDeployConfig({ [key]: ' ' }, 'dev')).toThrow(new RegExp(`mesh-platform:${key}: .*\\(got " "\\)\\. Fix: pulumi config (set|rm) `));
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

  test('production requires every declared secret; other environments run without (sandbox mode)', () => {
    expect(() => checkSecretValues(spec, {})).toThrow(
      /secrets\.payment-service\.PAYMENT_PROVIDER_API_KEY: is required in a production environment but not set\. Fix: pulumi config set --secret/,
    );
    expect(() => checkSecretValues({ ...spec, production: false }, {})).not.toThrow();
    expect(() => checkSecretValues(spec, { 'payment-service': { PAYMENT_PROVIDER_API_KEY: 'v' } })).not.toThrow();
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
        'mesh-platform:secrets': JSON.stringify({ 'payment-service': { PAYMENT_PROVIDER_API_KEY: 'k' } }),
      },
      ['mesh-platform:registryPassword', 'mesh-platform:secrets'],
    );
    const config = readDeployConfig();
    expect(config).toMatchObject({ environment: 'prod', registry: 'ghcr.io/acme/shop', installIstio: true, canary: { 'order-service': { v1: 50, v2: 50 } } });
    expect(config.registryCredentials?.username).toBe('ci');
    expect(await pulumi.isSecret(config.registryCredentials!.password)).toBe(true);
    expect(await pulumi.isSecret(config.secrets)).toBe(true);
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
