import * as pulumi from '@pulumi/pulumi';
import { serviceLabels } from '../description/names/labels';
import type { PlatformSpec } from '../description/types';
import { configProblem, DeployConfigError, type ServiceSecretValues } from './config';
import type { KubernetesObject } from './kubernetes-object';

/**
 * Per service and variable, its configured value as a Pulumi secret. Which variables are set is plain (their names
 * are the services' documented settings), so a Secret with nothing set gets no `stringData` at all: an empty one would
 * differ from the state on every deploy and replace the Secret each time.
 */
export type ServiceSecretOutputs = Readonly<Record<string, Readonly<Record<string, pulumi.Output<string>>>>>;

/** The parts of the platform spec that decide which Secrets exist and how they are labelled. */
export type SecretSpec = Pick<PlatformSpec, 'name' | 'namespace' | 'production' | 'services'>;

/**
 * What is wrong with the configured secret values against the spec: every service and variable must be one the spec
 * declares, and in production every declared variable must be set. Messages name keys only, never values.
 * @returns one line per problem with the command that fixes it; empty when the values are fine
 */
export function secretValueProblems(spec: SecretSpec, values: ServiceSecretValues): string[] {
  const problems: string[] = [];
  const declared = new Map(spec.services.filter((s) => s.secret).map((s) => [s.name, s.secret!.keys.map((k) => k.env)]));
  for (const [service, variables] of Object.entries(values)) {
    const known = declared.get(service);
    if (!known) {
      problems.push(configProblem(`secrets.${service}`, `no service with secrets is named "${service}" (services with secrets: ${[...declared.keys()].join(', ') || 'none'})`));
      continue;
    }
    for (const variable of Object.keys(variables).filter((v) => !known.includes(v))) {
      problems.push(configProblem(`secrets.${service}.${variable}`, `${service} reads no secret ${variable} (it reads: ${known.join(', ')})`));
    }
  }
  if (spec.production) {
    for (const [service, variables] of declared) {
      for (const variable of variables.filter((v) => values[service]?.[v] === undefined)) {
        problems.push(configProblem(
          `secrets.${service}.${variable}`,
          `${service} reads the secret ${variable}, which is required in a production environment but not set`,
          `pulumi config set --secret --path 'secrets["${service}"].${variable}' <value>`,
        ));
      }
    }
  }
  return problems;
}

/**
 * Checks the configured secret values against the spec (see {@link secretValueProblems}).
 * @throws DeployConfigError listing each problem with the command that fixes it.
 */
export function checkSecretValues(spec: SecretSpec, values: ServiceSecretValues): void {
  const problems = secretValueProblems(spec, values);
  if (problems.length > 0) throw new DeployConfigError(problems);
}

/**
 * The Secret objects to apply, as Pulumi inputs whose data is a Pulumi secret: one per service secret in the spec,
 * with `stringData` from the configured values (keyed by the Secret's data keys the pod mounts), merged over any
 * Secret the chart synthesized under the same name (environments may carry local-development values).
 * A declared variable without a value is left out (outside production the service then runs in its sandbox mode), and a
 * Secret with no value at all has no `stringData`. The values were checked against the spec before (secret-config.ts).
 */
export function secretObjects(
  spec: SecretSpec,
  values: ServiceSecretOutputs,
  chartSecrets: readonly KubernetesObject[],
): KubernetesObject[] {
  const declared = spec.services.flatMap((service) =>
    service.secret ? [{ service: service.name, labels: serviceLabels(spec, service.name, service.component), ...service.secret }] : [],
  );
  const fromSpec = declared.map(({ service, labels, name, keys }): KubernetesObject => {
    const chart = chartSecrets.find((s) => s.metadata.name === name);
    const configured = Object.fromEntries(keys.flatMap(({ key, env }) => {
      const value = values[service]?.[env];
      return value === undefined ? [] : [[key, value]];
    }));
    const stringData = { ...(chart?.stringData as Record<string, string> | undefined), ...configured };
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      ...chart,
      metadata: { labels, ...chart?.metadata, name, namespace: spec.namespace },
      type: (chart?.type as string | undefined) ?? 'Opaque',
      ...(Object.keys(stringData).length > 0 ? { stringData: pulumi.secret(pulumi.all(stringData)) } : {}),
      ...(chart?.data ? { data: pulumi.secret(chart.data as Record<string, string>) } : {}),
    };
  });
  const declaredNames = new Set(declared.map((d) => d.name));
  const chartOnly = chartSecrets
    .filter((s) => !declaredNames.has(s.metadata.name))
    .map((s) => ({
      ...s,
      ...(s.stringData ? { stringData: pulumi.secret(s.stringData as Record<string, string>) } : {}),
      ...(s.data ? { data: pulumi.secret(s.data as Record<string, string>) } : {}),
    }));
  return [...fromSpec, ...chartOnly];
}
