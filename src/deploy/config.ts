import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { ENVIRONMENTS, isEnvironmentName, type EnvironmentName, type EnvironmentOverrides } from '../description/types';
import { isRegistryPath } from '../description/image-grammar';
import { ISTIO } from '../versions';
import type { BaseImages } from './image-builds';
import type { PrebuiltImages } from './prebuilt-images';
import type { RegistryCredentials } from './service-images';
import {
  DEFAULT_ISTIO_CHART_SOURCE,
  ISTIO_CHARTS,
  packagedChartFile,
  parseIstioChartSource,
  type IstioChartSource,
} from './istio-charts/source';
import type { IstioPlatform } from './istio-installation';

/** How the Istio ingress gateway's Service is exposed when this program installs Istio. */
export const INGRESS_SERVICE_TYPES = ['LoadBalancer', 'NodePort', 'ClusterIP'] as const;

/** Canary weights per service and version, e.g. `{ "order-service": { "v1": 50, "v2": 50 } }`. */
export type CanaryWeights = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** Secret values per service and environment variable name, e.g. `{ "payment-service": { "PAYMENT_PROVIDER_API_KEY": "…" } }`. */
export type ServiceSecretValues = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Database URL per service, e.g. `{ "order-service": { "url": "postgres://…" } }` (external servers only). */
export type DatabaseUrls = Readonly<Record<string, Readonly<{ url?: string }>>>;

/** Everything the stack's configuration decides, read and validated once by {@link readDeployConfig}. */
export interface DeployConfig {
  /** Environment whose overrides the chart applies (config `environment`). @default the stack name, when it names an environment */
  readonly environment: EnvironmentName;
  /** Registry (host and path) the images are pushed to (config `registry`). @default the environment's `spec.registry` */
  readonly registry?: string;
  /** Push credentials (config `registryUsername` + secret `registryPassword`). @default none: the ambient `docker login` */
  readonly registryCredentials?: RegistryCredentials;
  /** Base images of the build (config `baseImages`, `{ "build": …, "runtime": … }`). @default images/Dockerfile's ARG defaults */
  readonly baseImages?: BaseImages;
  /** Kubeconfig path or contents (config `kubeconfig`). @default the ambient one: `$KUBECONFIG` or `~/.kube/config` */
  readonly kubeconfig?: string;
  /** Kubeconfig context (config `kubeContext`). @default the kubeconfig's current context */
  readonly kubeContext?: string;
  /** Install Istio from its Helm charts before the platform (config `installIstio`). @default false: Istio and its CRDs must exist */
  readonly installIstio: boolean;
  /**
   * Where the installed Istio's charts come from (config `istioCharts`): an OCI registry (`oci://…`), a Helm repository
   * (`https://…`) or a directory of packaged charts (`npm run -s istio:charts -- --out <dir>`).
   * @default Istio's OCI registry, `oci://ghcr.io/istio/release/charts`
   */
  readonly istioCharts: IstioChartSource;
  /** Registry of the installed Istio's images, its `global.hub` (config `istioHub`). @default 'docker.io/istio' */
  readonly istioHub: string;
  /** Istio's `global.platform` for the CNI on k3d, k3s, minikube, microk8s, GKE or OpenShift (config `istioPlatform`). @default none */
  readonly istioPlatform?: IstioPlatform;
  /** Service type of the installed ingress gateway (config `ingressServiceType`). @default 'LoadBalancer' */
  readonly ingressServiceType: (typeof INGRESS_SERVICE_TYPES)[number];
  /** Canary weights overriding the environment's (config `canary`). @default none: the environment's weights */
  readonly canary?: CanaryWeights;
  /**
   * This stack's overrides of the environment (config `overrides`): any field of an environment's overrides in
   * `src/config/environments.ts`, applied after them and checked by the same schema and rules (./stack-overrides.ts),
   * e.g. another cluster's Prometheus or a shorter canary analysis.
   * @default none: the environment as `npm run synth` renders it
   * @example { "observability": { "prometheus": { "url": "http://prometheus.monitoring:9090" } } }
   */
  readonly overrides?: EnvironmentOverrides;
  /**
   * Images already built and pushed, per service `<repo>:<tag>@sha256:<digest>` (config `images`, as
   * `npm run images -- --push` prints them): those services are not built. @default none: every image is built
   */
  readonly images?: PrebuiltImages;
  /**
   * Secret values of the services (secret config `secrets`, a {@link ServiceSecretValues} object), as Pulumi hands
   * them over: parsed and checked against the spec by the program before anything is registered. @default none
   */
  readonly secrets: pulumi.Output<unknown>;
  /**
   * Database URLs of the services on an external server (secret config `databases`, a {@link DatabaseUrls} object),
   * as Pulumi hands them over: parsed and checked like `secrets`. @default none
   */
  readonly databases: pulumi.Output<unknown>;
  /**
   * Superuser password of the in-cluster PostgreSQL (secret config `postgresPassword`); each service's role password is
   * derived from it. Required when the environment runs the server in the cluster. @default none
   */
  readonly postgresPassword?: pulumi.Output<string>;
  /**
   * URL of the Alertmanager webhook receiver (secret config `alertWebhookUrl`), written into the Secret the
   * environment's AlertmanagerConfig references. Production environments with alert routing require it. @default none
   */
  readonly alertWebhookUrl?: pulumi.Output<string>;
}

/** The configuration values as strings/JSON exactly as Pulumi hands them over, before validation. */
export interface RawDeployConfig {
  environment?: string;
  registry?: string;
  registryUsername?: string;
  baseImages?: unknown;
  kubeconfig?: string;
  kubeContext?: string;
  installIstio?: string;
  istioCharts?: string;
  istioHub?: string;
  istioPlatform?: string;
  ingressServiceType?: string;
  canary?: unknown;
  images?: unknown;
  overrides?: unknown;
}

/** A configuration error: names the key, what is wrong and the command that fixes it. */
export class DeployConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`stack configuration is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'DeployConfigError';
  }
}

const PROJECT = 'mesh-platform';
const weight = z.number().int().min(0).max(100);
const nonEmpty = z.string().trim().min(1);

/** Example fix per key, shown with every error about that key. */
const FIXES: Record<string, string> = {
  environment: `pulumi config set environment dev   (one of ${ENVIRONMENTS.join(', ')})`,
  registry: 'pulumi config set registry ghcr.io/acme/mesh-platform',
  registryUsername: 'pulumi config set registryUsername acme && pulumi config set --secret registryPassword <token>',
  baseImages: `pulumi config set --path baseImages.runtime 'gcr.io/distroless/nodejs20-debian12:nonroot@sha256:<digest>'`,
  kubeconfig: 'pulumi config set kubeconfig ~/.kube/config   (or pulumi config rm kubeconfig: $KUBECONFIG or ~/.kube/config)',
  kubeContext: 'pulumi config set kubeContext kind-mesh   (a context of the kubeconfig; or pulumi config rm kubeContext: its current one)',
  installIstio: 'pulumi config set installIstio true',
  istioCharts:
    `pulumi config set istioCharts ${ISTIO.helmRepository}   (or oci://<registry>/<path>, or a directory from ` +
    '`npm run -s istio:charts -- --out <dir>`; or pulumi config rm istioCharts: Istio\'s OCI registry)',
  istioHub: `pulumi config set istioHub registry.example.com/istio   (where ${ISTIO.images.join(', ')} are mirrored; or pulumi config rm istioHub: ${ISTIO.hub})`,
  istioPlatform:
    `pulumi config set istioPlatform k3d   (Istio's global.platform, one of ${ISTIO.platforms.join(', ')}; ` +
    'or pulumi config rm istioPlatform: none)',
  ingressServiceType: `pulumi config set ingressServiceType NodePort   (one of ${INGRESS_SERVICE_TYPES.join(', ')})`,
  canary: `pulumi config set --path 'canary["order-service"].v2' 20`,
  images: `npm run images -- --push --registry <registry>, then pulumi config set --path 'images["<service>"]' <printed reference>`,
  overrides: `pulumi config set --path 'overrides.services["order-service"].delivery.interval' 30s   (fields of an environment's overrides)`,
  secrets: `pulumi config set --secret --path 'secrets["<service>"].<VARIABLE>' <value>`,
  databases: `pulumi config set --secret --path 'databases["<service>"].url' 'postgres://<user>:<password>@<host>:5432/<database>'`,
  postgresPassword: 'pulumi config set --secret postgresPassword "$(openssl rand -base64 32)"',
  alertWebhookUrl: 'pulumi config set --secret alertWebhookUrl https://alerts.example.com/hooks/<token>',
};

/**
 * The fix for keys that name a service (`secrets.<service>.<VARIABLE>`, `canary.<service>.<version>`): the command
 * for that service and entry, not the example's.
 */
function serviceFix(key: string): string | undefined {
  const [root, service, entry] = key.split('.');
  if (!service) return undefined;
  if (root === 'secrets') return `pulumi config set --secret --path 'secrets["${service}"].${entry ?? '<VARIABLE>'}' <value>`;
  if (root === 'canary') return `pulumi config set --path 'canary["${service}"].${entry ?? '<version>'}' <weight>`;
  return undefined;
}

/** Formats one problem about `key` with its fix (`fix`, else the command for the service it names, else the key's example). */
export function configProblem(key: string, message: string, fix = serviceFix(key) ?? FIXES[key.split('.')[0]]): string {
  return `${PROJECT}:${key}: ${message}${fix ? `. Fix: ${fix}` : ''}`;
}

/** A registry host (with port) and path, as in an image reference before `/<image>:<tag>` (the image grammar's). */
const registryPath = z.string().trim().refine(isRegistryPath, 'expected a registry host and path, without scheme, image or tag');

const booleanText = z.enum(['true', 'false']).transform((text) => text === 'true');

const schema = z.object({
  environment: z.enum(ENVIRONMENTS),
  registry: registryPath.optional(),
  registryUsername: nonEmpty.optional(),
  baseImages: z.strictObject({ build: nonEmpty.optional(), runtime: nonEmpty.optional() }).optional(),
  kubeconfig: nonEmpty.optional(),
  kubeContext: nonEmpty.optional(),
  installIstio: booleanText.default(false),
  istioCharts: z
    .string()
    .transform((text, context): IstioChartSource => {
      const source = parseIstioChartSource(text);
      if ('problem' in source) {
        context.addIssue({ code: 'custom', message: source.problem });
        return z.NEVER;
      }
      return source;
    })
    .default(DEFAULT_ISTIO_CHART_SOURCE),
  istioHub: registryPath.default(ISTIO.hub),
  istioPlatform: z.enum(ISTIO.platforms).optional(),
  ingressServiceType: z.enum(INGRESS_SERVICE_TYPES).default('LoadBalancer'),
  canary: z.record(nonEmpty, z.record(nonEmpty, weight)).optional(),
  // Checked against the services and the code's tags where references are made (prebuilt-images.ts).
  images: z.record(nonEmpty, nonEmpty).optional(),
  // Only its shape here: its fields are checked by the platform's schema and rules where the spec is resolved
  // (stack-overrides.ts), so that every field an environment can override is accepted, and nothing else.
  overrides: z.record(z.string(), z.unknown(), 'expected an object of an environment\'s overrides').optional()
    .transform((value) => value as EnvironmentOverrides | undefined),
});

/** The validated plain (non-secret) configuration. */
export type ParsedDeployConfig = z.infer<typeof schema>;

/** Describes a received value for an error message, never a secret (secrets are not validated here). */
function shown(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** The value at an issue's path, for "got …" in messages. */
function valueAt(raw: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, segment) => (value as Record<PropertyKey, unknown> | undefined)?.[segment], raw);
}

/**
 * Validates the raw stack configuration (pure; {@link readDeployConfig} does the I/O).
 * The environment defaults to the stack name when the stack is named after one (`pulumi stack init dev`).
 * @throws DeployConfigError listing every problem with its fix.
 */
export function parseDeployConfig(raw: RawDeployConfig, stack: string): ParsedDeployConfig {
  const input = { ...raw, environment: raw.environment ?? (isEnvironmentName(stack) ? stack : undefined) };
  const result = schema.safeParse(input);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.join('.');
      problems.push(configProblem(key, `${issue.message} (got ${shown(valueAt(input, issue.path))})`));
    }
  }
  if (problems.length > 0 || !result.success) throw new DeployConfigError(problems);
  return result.data;
}

/** Validates the `secrets` config value once resolved (src/deploy/secret-config.ts; messages name paths, never values). */
export function parseServiceSecretValues(value: unknown): ServiceSecretValues {
  const result = z.record(nonEmpty, z.record(nonEmpty, z.string())).optional().safeParse(value);
  if (!result.success) {
    // Report only paths, types and the expected shape: the values are secret.
    throw new DeployConfigError(
      result.error.issues.map((issue) => {
        const path = ['secrets', ...issue.path].join('.');
        const type = typeof valueAt({ secrets: value }, ['secrets', ...issue.path]);
        if (issue.path.length === 2 && (type === 'number' || type === 'boolean')) {
          // `pulumi config set --path` stores integers and true/false as numbers and booleans (losing leading zeros).
          const [service, variable] = issue.path.map(String);
          return `${PROJECT}:${path}: is a ${type}, expected a string (config set --path stores integers and true/false as such). ` +
            `Fix: pulumi config set --secret --path 'secrets["${service}"].${variable}' --type string <value>`;
        }
        return configProblem(path, 'expected an object { "<service>": { "<ENV_VAR>": "<string value>" } }');
      }),
    );
  }
  return result.data ?? {};
}

/** Validates the `databases` config value once resolved (src/deploy/secret-config.ts; messages name paths, never values). */
export function parseDatabaseUrls(value: unknown): DatabaseUrls {
  const result = z.record(nonEmpty, z.strictObject({ url: z.string().optional() })).optional().safeParse(value);
  if (!result.success) {
    throw new DeployConfigError(result.error.issues.map((issue) =>
      configProblem(['databases', ...issue.path].join('.'), 'expected an object { "<service>": { "url": "postgres://…" } }')));
  }
  return result.data ?? {};
}

/**
 * Reads the stack configuration of project `mesh-platform` once, validates it and returns it typed.
 * Secret values (`registryPassword`, `secrets`) are read with the secret getters and stay Pulumi secrets.
 */
export function readDeployConfig(config = new pulumi.Config(PROJECT)): DeployConfig {
  const raw: RawDeployConfig = {
    environment: config.get('environment'),
    registry: config.get('registry'),
    registryUsername: config.get('registryUsername'),
    baseImages: parseJson(config.get('baseImages'), 'baseImages'),
    kubeconfig: config.get('kubeconfig'),
    kubeContext: config.get('kubeContext'),
    installIstio: config.get('installIstio'),
    istioCharts: config.get('istioCharts'),
    istioHub: config.get('istioHub'),
    istioPlatform: config.get('istioPlatform'),
    ingressServiceType: config.get('ingressServiceType'),
    canary: parseJson(config.get('canary'), 'canary'),
    images: parseJson(config.get('images'), 'images'),
    overrides: parseJson(config.get('overrides'), 'overrides'),
  };
  const { registryUsername: username, ...parsed } = parseDeployConfig(raw, pulumi.getStack());
  if (!username && config.getSecret('registryPassword') !== undefined) {
    // Else the password would be silently ignored and the push would use the machine's `docker login`.
    throw new DeployConfigError([configProblem('registryUsername', 'is not set, but registryPassword is set: a password needs its user name')]);
  }
  return {
    ...parsed,
    istioCharts: parsed.installIstio ? localChartsChecked(parsed.istioCharts) : parsed.istioCharts,
    // With a user name the password is required; Pulumi's error then names the key and the `config set --secret` fix.
    registryCredentials: username ? { username, password: config.requireSecret('registryPassword') } : undefined,
    secrets: config.getSecretObject<unknown>('secrets') ?? pulumi.secret<unknown>(undefined),
    databases: config.getSecretObject<unknown>('databases') ?? pulumi.secret<unknown>(undefined),
    postgresPassword: config.getSecret('postgresPassword'),
    alertWebhookUrl: config.getSecret('alertWebhookUrl'),
  };
}

/**
 * A directory source made absolute (the Helm provider resolves relative paths against its own working directory) and
 * checked for the packaged charts, so that a missing chart fails before `pulumi up` starts installing.
 */
export function localChartsChecked(source: IstioChartSource, cwd = process.cwd()): IstioChartSource {
  if (source.kind !== 'directory') return source;
  const path = resolve(cwd, source.path);
  const missing = ISTIO_CHARTS.map((chart) => packagedChartFile(chart.name)).filter((file) => !existsSync(join(path, file)));
  if (missing.length > 0) {
    throw new DeployConfigError([
      `${PROJECT}:istioCharts: the directory ${path} has no ${missing.join(', ')}. ` +
        `Fix: npm run -s istio:charts -- --out ${path}   (packages Istio ${ISTIO.version}'s charts there)`,
    ]);
  }
  return { kind: 'directory', path };
}

/** Parses an object-valued config entry, naming the key when it is not JSON. */
function parseJson(text: string | undefined, key: string): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new DeployConfigError([configProblem(key, 'is not a JSON object; set it with --path')]);
  }
}
