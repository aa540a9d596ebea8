/**
 * The props of `Microservice` and `ServiceVersion`, and their resolution: defaults come from the description's schema
 * (src/description/schema.ts documents each field once), the namespace from the chart. The platform chart builds these
 * props from the resolved description (charts/platform-props.ts); a chart of your own writes them by hand.
 */
import { serviceSchema } from '../description/schema';
import type { DatabaseSpec } from '../description/database-types';
import type { MeshModes } from '../description/modes';
import type { ObservabilitySpec } from '../description/observability-schema';
import { DEFAULT_TRACING } from '../observability/tracing';
import type { PlatformIdentity } from '../description/names/workloads';
import type { SecretSpec, ServiceDescription, ServiceSpec } from '../description/types';
import { serviceField, withDefaults } from './defaults';
import { placement, propsError, type PlacementProps, type PropsContext } from './placement';

/** An Istio data plane: `sidecar` or `ambient`. */
export type DataPlane = MeshModes['dataPlane'];

/** One deployed version of a microservice. */
export interface MicroserviceVersion {
  /** Version name: the `version` pod label (and the DestinationRule subset or version Service), e.g. "v1". */
  readonly name: string;
  /** Image, pinned by tag or digest, e.g. "registry.example.com/orders:1.4.2". */
  readonly image: string;
  /** Extra environment variables of this version only. @default {} */
  readonly env?: Readonly<Record<string, string>>;
}

/** A service this one calls, in the same namespace: the pods get its URL as `<NAME>_URL`. */
export interface CalledService {
  /** The called service's name (its Kubernetes Service). */
  readonly name: string;
  /** The port it is called on. */
  readonly port: number;
}

/**
 * Props of `Microservice`. Optional settings take the platform description's defaults and meaning (see
 * `serviceSchema`): one "http" port on 8080, 100m/500m CPU, 128Mi/256Mi memory, 1 to 3 replicas per version.
 */
export interface MicroserviceProps extends PlacementProps,
  Pick<ServiceDescription, 'component' | 'ports' | 'config' | 'resources' | 'autoscaling' | 'health' | 'shutdown' | 'rollout' | 'delivery'> {
  /** Service name (DNS label): names the Service, ServiceAccount and, with the version, each Deployment. */
  readonly name: string;
  /** The deployed versions, one Deployment each (exactly one under progressive delivery). */
  readonly versions: readonly MicroserviceVersion[];
  /** Services this one calls: their URLs as environment variables. @default [] */
  readonly calls?: readonly CalledService[];
  /**
   * The Secret the pods mount, read-only, each key as a file named by `<ENV>_FILE`. With `values` the Secret is
   * created here (throwaway environments only); otherwise it is created outside the chart and only referenced.
   * @default no Secret
   */
  readonly secret?: SecretSpec;
  /** The service's database: the Secret with its URL is mounted and `DATABASE_URL_FILE` names the file. @default none */
  readonly database?: DatabaseSpec;
  /** Whether a pod waits for its Secret (`secret`) to exist; otherwise it starts without it. @default false */
  readonly secretRequired?: boolean;
  /** Istio data plane the pods run in: `sidecar` (the pods get the sidecar's drain settings) or `ambient`. @default "sidecar" */
  readonly dataPlane?: DataPlane;
  /** Environment name, the `deployment.environment.name` of the services' traces. @default the namespace */
  readonly environment?: string;
  /**
   * Tracing (the OpenTelemetry variables, with a trace backend) and Prometheus (needed by `autoscaling.requestsPerSecond`).
   * @default no trace backend and no Prometheus
   */
  readonly observability?: Partial<Pick<ObservabilitySpec, 'tracing' | 'prometheus'>>;
}

/** Props of `ServiceVersion`: the service's props and the one version it deploys. */
export interface ServiceVersionProps extends Omit<MicroserviceProps, 'versions'> {
  /** The version this construct deploys. */
  readonly version: MicroserviceVersion;
}

/** A microservice's settings with every default applied: what its objects are built from. */
export interface Workload extends Pick<ServiceSpec,
  'name' | 'component' | 'ports' | 'config' | 'secret' | 'database' | 'resources' | 'autoscaling' | 'health' | 'shutdown' | 'rollout' | 'delivery'> {
  /** Namespace and `part-of` name. */
  readonly platform: PlatformIdentity;
  readonly calls: readonly CalledService[];
  readonly secretRequired: boolean;
  readonly dataPlane: DataPlane;
  readonly environment: string;
  readonly observability: Pick<ObservabilitySpec, 'tracing'> & Partial<Pick<ObservabilitySpec, 'prometheus'>>;
}

/** The settings of `props` with the schema's defaults; throws an `Error` naming the construct and the field. */
export function resolveWorkload(context: PropsContext, props: Omit<MicroserviceProps, 'versions'>): Workload {
  const field = serviceField(context);
  const platform = placement(context, props);
  if (props.autoscaling?.requestsPerSecond !== undefined && !props.observability?.prometheus) {
    throw propsError(context, 'autoscaling.requestsPerSecond: scaling on the request rate reads Prometheus; set `observability.prometheus` or leave it out');
  }
  return {
    platform,
    name: field('name', props.name),
    component: field('component', props.component),
    ports: field('ports', props.ports),
    config: field('config', props.config),
    secret: props.secret,
    database: props.database,
    resources: field('resources', props.resources),
    autoscaling: field('autoscaling', props.autoscaling),
    health: field('health', props.health),
    shutdown: field('shutdown', props.shutdown),
    rollout: field('rollout', props.rollout),
    delivery: field('delivery', props.delivery),
    calls: props.calls ?? [],
    secretRequired: props.secretRequired ?? false,
    dataPlane: props.dataPlane ?? 'sidecar',
    environment: props.environment ?? platform.namespace,
    observability: { tracing: props.observability?.tracing ?? DEFAULT_TRACING, ...(props.observability?.prometheus ? { prometheus: props.observability.prometheus } : {}) },
  };
}

/**
 * A version's name and variables checked by the description's schema (a DNS label, variable names). The image is taken
 * as given (any registry, `name:tag@digest` too): the description checks the images it names itself.
 */
const versionSchema = serviceSchema.shape.versions.element.pick({ name: true, env: true });

/** The version with its defaults; throws an `Error` naming the field. */
export function resolveVersion(context: PropsContext, version: MicroserviceVersion): Required<MicroserviceVersion> {
  const { name, env } = withDefaults(context, 'version', versionSchema, { name: version.name, env: version.env });
  if (!version.image) throw propsError(context, `version.image: none given for version ${name}; name its image, pinned by tag or digest`);
  return { name, image: version.image, env };
}

/** Refuses versions that can never deploy: none, a name twice, or more than one under progressive delivery. */
export function checkVersions(context: PropsContext, workload: Workload, versions: readonly MicroserviceVersion[]): void {
  const fail = (message: string) => { throw propsError(context, message); };
  if (versions.length === 0) fail('versions: none given; a microservice needs at least one version');
  const names = versions.map((version) => version.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice) fail(`versions: "${twice}" is declared twice; give each version its own name`);
  if (workload.delivery.mode === 'progressive' && versions.length > 1) {
    fail(`versions: progressive delivery deploys one version (Flagger rolls out the next), got ${names.join(', ')}; keep one`);
  }
}
