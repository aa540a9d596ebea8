/**
 * The database Secrets under Pulumi's mocks: made from the secret stack config, marked secret, their values in no
 * other registration and in no synthesized object; the checks that stop a deployment before anything is applied.
 */
import * as pulumi from '@pulumi/pulumi';
import { checkDatabaseUrls, databaseSecretObjects, rolePassword } from '../../src/deploy/database-secrets';
import { parseDatabaseUrls, parseDeployConfig, type DatabaseUrls, type DeployConfig, type ServiceSecretValues } from '../../src/deploy/config';
import { deployPlatform } from '../../src/deploy/program';
import { imageReferences } from '../../src/images/index';
import { synthesizePlatform } from '../../src/platform';
import type { EnvironmentName } from '../../src/description/types';
import { installMocks, settle, type Registration } from './mocks';

const REGISTRY = 'registry.test/shop';
const SUPERUSER = 'pg-superuser-do-not-print-me-5151';
const ORDERS_URL = 'postgres://orders:orders-pw-do-not-print@postgres.staging.example.com:5432/order_service?sslmode=verify-full';
const PAYMENTS_URL = 'postgres://payments:payments-pw-do-not-print@postgres.staging.example.com/payment_service';

async function deploy(environment: EnvironmentName, databases: DatabaseUrls, postgresPassword?: string): Promise<Registration[]> {
  const recorded = installMocks(environment);
  const config: DeployConfig = {
    ...parseDeployConfig({ registry: REGISTRY }, environment),
    secrets: pulumi.secret<ServiceSecretValues>({ 'payment-service': { PAYMENT_PROVIDER_API_KEY: 'k' } }) as pulumi.Output<ServiceSecretValues>,
    databases: pulumi.secret(databases) as pulumi.Output<DatabaseUrls>,
    postgresPassword: postgresPassword === undefined ? undefined : pulumi.secret(postgresPassword),
  };
  await deployPlatform(config);
  await settle();
  return recorded();
}

const spec = (environment: EnvironmentName) => synthesizePlatform(environment, { images: imageReferences(REGISTRY) }).spec;

/**
 * What `checkDatabaseUrls` reports, which the program runs when the secret config resolves: a `pulumi preview` then
 * fails with "stack configuration is invalid" and these lines, before anything is applied.
 */
function problems(environment: EnvironmentName, urls: DatabaseUrls): string {
  try {
    checkDatabaseUrls(spec(environment), urls);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

const secretsOf = (registrations: Registration[]) => registrations.filter((r) => r.type === 'kubernetes:core/v1:Secret');
const find = (registrations: Registration[], name: string) => registrations.find((r) => r.name === name && r.type === 'kubernetes:core/v1:Secret')!;

describe('dev: the in-cluster server', () => {
  let registrations: Registration[];
  beforeAll(async () => {
    registrations = await deploy('dev', {}, SUPERUSER);
  });

  test('the server Secret holds the superuser password and one derived password per service role', () => {
    const server = find(registrations, 'shop/shop-postgres');
    expect(server.type).toBe('kubernetes:core/v1:Secret');
    expect(server.inputs.stringData).toEqual({
      'postgres-password': SUPERUSER,
      order_service: rolePassword(SUPERUSER, 'order_service'),
      payment_service: rolePassword(SUPERUSER, 'payment_service'),
    });
    expect([...server.secretInputs]).toContain('stringData');
    expect(rolePassword(SUPERUSER, 'order_service')).not.toBe(rolePassword(SUPERUSER, 'payment_service'));
    expect(rolePassword(SUPERUSER, 'order_service')).toBe(rolePassword(SUPERUSER, 'order_service'));
  });

  test('each service gets exactly its own URL, to the headless Service, with its own role and database', () => {
    for (const [service, role] of [['order-service', 'order_service'], ['payment-service', 'payment_service']]) {
      const secret = find(registrations, `shop/${service}-database`);
      expect(secret.inputs.stringData).toEqual({ url: `postgres://${role}:${rolePassword(SUPERUSER, role)}@shop-postgres.shop.svc.cluster.local:5432/${role}` });
      expect([...secret.secretInputs]).toContain('stringData');
    }
    expect(find(registrations, 'shop/user-service-database')).toBeUndefined();
  });

  test('no password is in any other registration or in the synthesized objects; pods wait for the Secrets', () => {
    const passwords = [SUPERUSER, rolePassword(SUPERUSER, 'order_service'), rolePassword(SUPERUSER, 'payment_service')];
    const secrets = secretsOf(registrations);
    const others = registrations.filter((r) => !secrets.includes(r)).map((r) => JSON.stringify(r.inputs)).join('\n');
    const synthesized = JSON.stringify(synthesizePlatform('dev', { images: imageReferences(REGISTRY) }).objects);
    for (const password of passwords) {
      expect(others).not.toContain(password);
      expect(synthesized).not.toContain(password);
    }
    const workloads = registrations.filter((r) => r.type === 'kubernetes:apps/v1:Deployment' || r.type === 'kubernetes:apps/v1:StatefulSet');
    expect(workloads.some((r) => r.type === 'kubernetes:apps/v1:StatefulSet')).toBe(true);
    for (const workload of workloads) {
      for (const name of ['shop/shop-postgres', 'shop/order-service-database', 'shop/payment-service-database']) {
        expect(workload.dependencies).toContain(find(registrations, name).urn);
      }
    }
  });

  test('without postgresPassword the deployment stops at once, naming the key and the command', () => {
    expect(() => databaseSecretObjects(spec('dev'), { databases: pulumi.secret({}) as pulumi.Output<DatabaseUrls> })).toThrow(
      'mesh-platform:postgresPassword: the environment runs PostgreSQL in the cluster for order-service, payment-service, and its superuser password is not set. ' +
        'Fix: pulumi config set --secret postgresPassword "$(openssl rand -base64 32)"',
    );
  });

  test('a URL for the in-cluster server is refused (it would be ignored)', () => {
    const message = problems('dev', { 'order-service': { url: ORDERS_URL } });
    expect(message).toContain("mesh-platform:databases.order-service.url: is not used: the in-cluster server's URLs are derived from postgresPassword");
    expect(message).not.toContain('orders-pw-do-not-print');
  });
});

describe('staging: an external server', () => {
  test('each service\'s Secret holds the configured URL, marked secret, and nothing else carries it', async () => {
    const registrations = await deploy('staging', { 'order-service': { url: ORDERS_URL }, 'payment-service': { url: PAYMENTS_URL } });
    expect(find(registrations, 'shop/order-service-database').inputs.stringData).toEqual({ url: ORDERS_URL });
    expect(find(registrations, 'shop/payment-service-database').inputs.stringData).toEqual({ url: PAYMENTS_URL });
    for (const name of ['shop/order-service-database', 'shop/payment-service-database']) {
      expect([...find(registrations, name).secretInputs]).toContain('stringData');
    }
    expect(find(registrations, 'shop/shop-postgres')).toBeUndefined();
    const others = registrations.filter((r) => r.type !== 'kubernetes:core/v1:Secret').map((r) => JSON.stringify(r.inputs)).join('\n');
    expect(others).not.toContain('pw-do-not-print');
  });

  test('a missing URL stops the deployment, naming the service\'s key and the command with the server\'s address', () => {
    const message = problems('staging', { 'order-service': { url: ORDERS_URL } });
    expect(message).toContain(
      'mesh-platform:databases.payment-service.url: payment-service declares a database on postgres.staging.example.com:5432 but no URL is set',
    );
    expect(message).toContain(
      "Fix: pulumi config set --secret --path 'databases[\"payment-service\"].url' 'postgres://<user>:<password>@postgres.staging.example.com:5432/payment_service'",
    );
    expect(message).not.toContain('orders-pw-do-not-print');
  });

  test('a URL to another server or database, or a typo in a service name, is refused without printing credentials', () => {
    const message = problems('staging', {
      'order-service': { url: 'postgres://orders:orders-pw-do-not-print@db.elsewhere.example:6432/order_service' },
      'payment-service': { url: 'postgres://payments:payments-pw-do-not-print@postgres.staging.example.com:5432/payments' },
      'order-servce': { url: ORDERS_URL },
    });
    expect(message).toContain('databases.order-service.url: points at db.elsewhere.example:6432, but the environment\'s PostgreSQL server');
    expect(message).toContain('is postgres.staging.example.com:5432');
    expect(message).toContain('databases.payment-service.url: names the database "payments", but payment-service declares "payment_service"');
    expect(message).toContain('databases.order-servce: no service with a database is named "order-servce" (services with a database: order-service, payment-service)');
    expect(message).not.toContain('pw-do-not-print');
  });
});

test('a malformed databases value names the path, never the value', () => {
  expect(() => parseDatabaseUrls({ 'order-service': 'postgres://u:hunter2@h/d' })).toThrow(/mesh-platform:databases\.order-service: expected an object/);
  expect(() => parseDatabaseUrls({ 'order-service': 'postgres://u:hunter2@h/d' })).not.toThrow(/hunter2/);
});
