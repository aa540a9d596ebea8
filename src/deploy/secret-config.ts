/**
 * The secret stack config (service secrets, database URLs) parsed and checked against the spec before anything is
 * registered.
 *
 * Parsed or checked inside an `apply`, an error only rejects the outputs that depend on it: the registrations waiting
 * for them never complete, so under Pulumi's mocks the program never settles (a test waits for its timeout), and a
 * real run sees an unhandled rejection instead of the error. The program therefore resolves these values first, which
 * never waits on the engine (stack config is known, in a preview too), and fails at once with every problem, one line
 * each; the components receive the checked values, still Pulumi secrets.
 */
import * as pulumi from '@pulumi/pulumi';
import { DeployConfigError, parseDatabaseUrls, parseServiceSecretValues, type DatabaseUrls, type DeployConfig, type ServiceSecretValues } from './config';
import { databaseUrlProblems, type DatabaseSecretSpec } from './database-secrets';
import { secretValueProblems, type SecretSpec, type ServiceSecretOutputs } from './service-secrets';

/** The secret config as the components take it: parsed, checked, and still secret. */
export interface CheckedSecretConfig {
  readonly secrets: ServiceSecretOutputs;
  readonly databases: pulumi.Output<DatabaseUrls>;
}

/** The plain value of a stack config output; it never leaves this module except wrapped as a secret again. */
const valueOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply((value) => {
  resolve(value);
  return value;
}));

/**
 * Resolves the secret stack config, parses it and checks it against the spec.
 * @throws DeployConfigError listing each problem with the command that fixes it (messages name keys, never values)
 */
export async function checkedSecretConfig(
  spec: SecretSpec & DatabaseSecretSpec,
  config: Pick<DeployConfig, 'secrets' | 'databases'>,
): Promise<CheckedSecretConfig> {
  const [rawSecrets, rawDatabases] = await Promise.all([valueOf(config.secrets), valueOf(config.databases)]);
  const secrets = parseServiceSecretValues(rawSecrets);
  const databases = parseDatabaseUrls(rawDatabases);
  const problems = [...secretValueProblems(spec, secrets), ...databaseUrlProblems(spec, databases)];
  if (problems.length > 0) throw new DeployConfigError(problems);
  return { secrets: secretOutputs(secrets), databases: pulumi.secret(databases) };
}

/** Each value wrapped as a Pulumi secret, under its plain service and variable names. */
export function secretOutputs(values: ServiceSecretValues): ServiceSecretOutputs {
  return Object.fromEntries(Object.entries(values).map(([service, variables]) =>
    [service, Object.fromEntries(Object.entries(variables).map(([variable, value]) => [variable, pulumi.secret(value)]))]));
}
