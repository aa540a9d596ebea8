/**
 * The Pulumi program under Pulumi's unit-test mocks, as test/deploy/program*.test.ts run it (two files, so that they
 * run in parallel): a deploy of an environment with a stack config, and what the chart's own synthesis expects.
 */
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { platform } from '../../../src/config/platform';
import { imageReferences, serviceNames } from '../../../src/images/index';
import { synthesizePlatform } from '../../../src/platform';
import type { EnvironmentName } from '../../../src/description/types';
import { parseDeployConfig, type DatabaseUrls, type DeployConfig, type ServiceSecretValues } from '../../../src/deploy/config';
import type { KubernetesObject } from '../../../src/deploy/kubernetes-object';
import { deployPlatform, type PlatformStackOutputs } from '../../../src/deploy/program';
import { exampleDatabaseUrls } from '../database-urls';
import { installMocks, mockDigest, settle, type Registration } from '../mocks';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..', '..');
/** The registry the stacks deploy from. */
export const REGISTRY = 'registry.test/shop';
/** The value of every service secret (found nowhere but in secret outputs). */
export const API_KEY = 'sk_test_do-not-print-me-4242';
/** One image per service folder (src/images derives them from the tree). */
export const SERVICES = serviceNames();
/** A value for every secret the description declares, so production (which requires them all) deploys whatever services it holds. */
export const SECRETS: ServiceSecretValues = Object.fromEntries(platform.services.filter((s) => s.secrets?.length).map((s) => [
  s.name, Object.fromEntries(s.secrets!.map(({ env }) => [env, API_KEY])),
]));
/** The in-cluster PostgreSQL superuser's password. */
const POSTGRES_PASSWORD = 'pg-superuser-do-not-print-me-7373';
/** The alert webhook's URL (a secret). */
export const ALERT_WEBHOOK_URL = 'https://alerts.test/hooks/do-not-print-me-5151';
/** Database URLs of the external servers (staging, prod). */
export const DATABASE_URLS: Record<string, DatabaseUrls> = { staging: exampleDatabaseUrls('staging'), prod: exampleDatabaseUrls('prod') };

/** What a deploy registered and exported. */
export interface Run {
  readonly registrations: Registration[];
  readonly outputs: PlatformStackOutputs;
}

/** Deploys `environment` under the mocks with the given stack config (as `pulumi config set` would leave it). */
export async function deploy(
  environment: EnvironmentName,
  raw: Partial<Parameters<typeof parseDeployConfig>[0]> = {},
  secrets: ServiceSecretValues = SECRETS,
  databases: { urls?: DatabaseUrls; postgresPassword?: string } = { urls: DATABASE_URLS[environment], postgresPassword: POSTGRES_PASSWORD },
): Promise<Run> {
  const recorded = installMocks(environment);
  const config: DeployConfig = {
    ...parseDeployConfig({ registry: REGISTRY, ...raw }, environment),
    secrets: pulumi.secret(secrets) as pulumi.Output<ServiceSecretValues>,
    databases: pulumi.secret(databases.urls ?? {}) as pulumi.Output<DatabaseUrls>,
    postgresPassword: databases.postgresPassword === undefined ? undefined : pulumi.secret(databases.postgresPassword),
    alertWebhookUrl: pulumi.secret(ALERT_WEBHOOK_URL),
  };
  const outputs = await deployPlatform(config);
  await settle();
  return { registrations: recorded(), outputs };
}

/** What `pulumi up` must apply: the chart synthesized with the pushed, digest-pinned references. */
export function expectedObjects(environment: EnvironmentName, overrides = {}) {
  const tags = imageReferences(REGISTRY);
  const pinned = Object.fromEntries(Object.entries(tags).map(([service, tag]) => [service, `${tag}@${mockDigest(tag)}`]));
  return synthesizePlatform(environment, { images: pinned, overrides }).objects as unknown as KubernetesObject[];
}

/** Pulumi's type token of a Kubernetes object: `kubernetes:apps/v1:Deployment`, `kubernetes:core/v1:Service`. */
export function typeToken(object: { apiVersion: string; kind: string }): string {
  return `kubernetes:${object.apiVersion.includes('/') ? '' : 'core/'}${object.apiVersion}:${object.kind}`;
}

/** `namespace/name` of an object, or its name when it has no namespace. */
export function nameOf(object: KubernetesObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

/** A CRD the program installs from imports/crds/: the monitoring ones or Flagger's. */
export const isCommittedCrd = (r: Registration) => r.parent.includes('MonitoringCrds') || r.parent.includes('DeliveryCrds');

/** Registrations of Kubernetes objects (not the provider, Helm releases or reads). */
export function objectRegistrations(run: Run): Registration[] {
  return run.registrations.filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:helm.sh') && r.custom && r.name !== 'ingress-gateway');
}

/** The one registration of a type and name (a test expectation: exactly one). */
export function find(run: Run, type: string, name: string): Registration {
  const found = run.registrations.filter((r) => r.type === type && r.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** A registered object's spec, read loosely. */
export type KubeSpec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** JSON round trip: what the engine receives has no `undefined` fields. */
export const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));
