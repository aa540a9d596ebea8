/**
 * A stack config error that can only be seen once the secret config resolves (a missing database URL, a production
 * secret not set, a secret of the wrong type) stops the program at once under Pulumi's mocks: deployPlatform rejects
 * with the error's lines before anything is registered, instead of leaving registrations waiting for an output that
 * failed inside an `apply` (which kept a test waiting for its timeout).
 */
import * as pulumi from '@pulumi/pulumi';
import { platform } from '../../src/config/platform';
import { parseDeployConfig, type DatabaseUrls, type DeployConfig, type ServiceSecretValues } from '../../src/deploy/config';
import { deployPlatform } from '../../src/deploy/program';
import type { EnvironmentName } from '../../src/description/types';
import { exampleDatabaseUrls } from './database-urls';
import { installMocks, settle } from './mocks';

/** Every secret the description declares, set. */
const SECRETS: ServiceSecretValues = Object.fromEntries(platform.services.filter((s) => s.secrets?.length).map((s) => [
  s.name, Object.fromEntries(s.secrets!.map(({ env }) => [env, 'do-not-print-me'])),
]));
const [withSecret] = platform.services.filter((s) => s.secrets?.length);
const [withDatabase] = platform.services.filter((s) => s.database);

/** Runs the program for `environment` with the given secret config: its error, if any, and what it registered. */
async function deploy(environment: EnvironmentName, secrets: pulumi.Output<unknown>, databases: DatabaseUrls) {
  const recorded = installMocks(environment);
  const config: DeployConfig = {
    ...parseDeployConfig({ registry: 'registry.test/shop' }, environment),
    secrets,
    databases: pulumi.secret(databases) as pulumi.Output<DatabaseUrls>,
    postgresPassword: pulumi.secret('pg-password'),
    alertWebhookUrl: pulumi.secret('https://alerts.test/hooks/do-not-print-me'),
  };
  try {
    await deployPlatform(config);
    await settle();
    return { error: undefined, registered: recorded().length };
  } catch (error) {
    return { error: (error as Error).message, registered: recorded().length };
  }
}

test('with the secret config complete the program deploys, so the cases below fail for their one reason only', async () => {
  const run = await deploy('prod', pulumi.secret(SECRETS), exampleDatabaseUrls('prod'));
  expect(run.error).toBeUndefined();
  expect(run.registered).toBeGreaterThan(0);
});

test('a missing database URL rejects at once, before any registration, naming the key and the fix', async () => {
  const urls = Object.fromEntries(Object.entries(exampleDatabaseUrls('staging')).filter(([service]) => service !== withDatabase.name));
  expect(await deploy('staging', pulumi.secret(SECRETS), urls)).toEqual({
    error: expect.stringContaining(`mesh-platform:databases.${withDatabase.name}.url: ${withDatabase.name} declares a database`),
    registered: 0,
  });
});

test('a production secret not set rejects at once, before any registration, naming the key and no value', async () => {
  const { env } = withSecret.secrets![0];
  expect(await deploy('prod', pulumi.secret<ServiceSecretValues>({}), exampleDatabaseUrls('prod'))).toEqual({
    error: expect.stringContaining(`mesh-platform:secrets.${withSecret.name}.${env}: ${withSecret.name} reads the secret ${env}`),
    registered: 0,
  });
});

test('a secret config of the wrong shape rejects at once with the parse error', async () => {
  const numeric = pulumi.secret<unknown>({ [withSecret.name]: { [withSecret.secrets![0].env]: 4242 } });
  expect(await deploy('staging', numeric, exampleDatabaseUrls('staging'))).toEqual({
    error: expect.stringContaining('is a number, expected a string'),
    registered: 0,
  });
});
