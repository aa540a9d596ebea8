/**
 * A platform description of any number of services, for `npm run bench:scale`: the project's own description
 * (`src/config/platform.ts`) and environments (`src/config/environments.ts`) with their services replaced by generated
 * ones, written in the description's real types, so that it goes through the real schema and rules like a user's.
 *
 * Each service calls the next (a call chain); every 10th has two versions split by static weights (every 20th with
 * header pinning too), every 25th is delivered progressively, every 5th is exposed at the gateway (every 10th of those
 * with a JWT), every 50th has a database. Production overrides give every service the replicas production needs;
 * staging mirrors every static canary's traffic to its new version.
 */
import { environments } from '../src/config/environments';
import { platform } from '../src/config/platform';
import { PRODUCTION_MIN_REPLICAS } from '../src/description/rules';
import type { EnvironmentName, EnvironmentOverrides, PlatformDescription, ServiceDescription } from '../src/description/types';
import type { ImageReferences } from '../src/description/resolve';

/** A generated platform: the shared description, each environment's overrides, and an image reference per service. */
export interface ScaleDescription {
  readonly description: PlatformDescription;
  readonly overrides: Readonly<Record<EnvironmentName, EnvironmentOverrides>>;
  readonly images: ImageReferences;
}

/** How many of the generated services have each feature, for the report. */
export interface ScaleMix {
  readonly canaries: number;
  readonly progressive: number;
  readonly exposed: number;
  readonly databases: number;
}

type ServiceOverrides = NonNullable<EnvironmentOverrides['services']>;

const serviceName = (index: number) => `svc-${String(index).padStart(4, '0')}`;

const isCanary = (index: number) => index % 10 === 3;
const isProgressive = (index: number) => index % 25 === 7;
const isExposed = (index: number) => index % 5 === 1;
const hasDatabase = (index: number) => index % 50 === 9;

function service(index: number, count: number): ServiceDescription {
  const name = serviceName(index);
  const canary: Pick<ServiceDescription, 'versions' | 'canary'> = isCanary(index)
    ? {
      versions: [{ name: 'v1' }, { name: 'v2' }],
      canary: { weights: { v1: 90, v2: 10 }, ...(index % 20 === 3 ? { header: { version: 'v2' } } : {}) },
    }
    : { versions: [{ name: 'v1' }] };
  return {
    name,
    ...canary,
    ...(isProgressive(index) ? { delivery: { mode: 'progressive', stepWeight: 20, maxWeight: 60 } } : {}),
    ...(index + 1 < count ? { calls: [serviceName(index + 1)] } : {}),
    ...(isExposed(index) ? { expose: { prefix: `/api/${name}`, rewrite: '/', requireJwt: index % 50 === 1 } } : {}),
    ...(hasDatabase(index) ? { database: { engine: 'postgres' } } : {}),
    config: { SERVICE_INDEX: String(index) },
  };
}

/** Overrides of one environment: the project's own for the platform, and generated ones per service. */
function environmentOverrides(environment: EnvironmentName, count: number): EnvironmentOverrides {
  const services: Record<string, ServiceOverrides[string]> = {};
  for (let index = 0; index < count; index++) {
    if (environment === 'prod') {
      services[serviceName(index)] = { autoscaling: { minReplicas: PRODUCTION_MIN_REPLICAS, maxReplicas: 6 }, resources: { cpuLimit: '1', memoryLimit: '512Mi' } };
    } else if (environment === 'staging' && isCanary(index)) {
      services[serviceName(index)] = { traffic: { mirror: { version: 'v2', percentage: 50 } } };
    }
  }
  // The project's platform overrides; its service overrides name the project's services, replaced here.
  return { ...environments[environment], services };
}

/** A description of `count` services (at least 1) and its three environments. */
export function scaleDescription(count: number): ScaleDescription {
  const indexes = Array.from({ length: count }, (_, index) => index);
  const images = Object.fromEntries(indexes.map((index) => [serviceName(index), `${platform.registry}/${serviceName(index)}:1.0.0`]));
  return {
    description: { ...platform, services: indexes.map((index) => service(index, count)) },
    overrides: { dev: environmentOverrides('dev', count), staging: environmentOverrides('staging', count), prod: environmentOverrides('prod', count) },
    images,
  };
}

/** How many services of `count` have each feature. */
export function scaleMix(count: number): ScaleMix {
  const indexes = Array.from({ length: count }, (_, index) => index);
  const counted = (feature: (index: number) => boolean) => indexes.filter(feature).length;
  return { canaries: counted(isCanary), progressive: counted(isProgressive), exposed: counted(isExposed), databases: counted(hasDatabase) };
}
