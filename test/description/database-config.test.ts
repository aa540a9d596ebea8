/** Configuration errors of the database fields: one line each, naming the environment, the field and the fix. */
import { environments } from '../../src/config/environments';
import { platform } from '../../src/config/platform';
import { PlatformConfigError, resolvePlatformSpec, type EnvironmentName, type EnvironmentOverrides, type PlatformDescription } from '../../src/description';
import { TEST_IMAGES } from '../support/platform';

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function messageOf(edit: (description: Loose) => void, overrides: EnvironmentOverrides = {}, environment: EnvironmentName = 'dev'): string {
  const description: Loose = structuredClone(platform);
  edit(description);
  try {
    resolvePlatformSpec({ description: description as PlatformDescription, environment, overrides, images: TEST_IMAGES });
  } catch (error) {
    if (error instanceof PlatformConfigError) return error.message;
    throw error;
  }
  return '';
}

const service = (d: Loose, name: string): Loose => d.services.find((s: Loose) => s.name === name);
const external = { location: 'external', host: 'db.example.com', port: 5432 } as const;

test.each<[string, (d: Loose) => void, EnvironmentOverrides, EnvironmentName, string]>([
  ['a database without a server', (d) => { delete d.postgres; }, {}, 'dev',
    "platform config (environment dev): services.order-service.database: declares a database, but the environment configures no PostgreSQL server; fix: set postgres in the environment's overrides"],
  ['the in-cluster server in production', () => {}, { production: true, services: { 'user-service': { autoscaling: { minReplicas: 2 } }, 'order-service': { autoscaling: { minReplicas: 2 } }, 'payment-service': { autoscaling: { minReplicas: 2 } } } }, 'prod',
    "platform config (environment prod): postgres.location: the in-cluster PostgreSQL is one pod without replication or backups, not allowed in production; fix: set postgres to { location: 'external', host: '<server>', port: 5432 } in the production overrides"],
  ['NetworkPolicies and an external server known by name only', (d) => { d.postgres = external; }, { networkPolicies: true }, 'dev',
    "postgres.cidrs: NetworkPolicies match addresses, not host names, so the services could not reach db.example.com; fix: set postgres.cidrs to the address ranges of db.example.com, e.g. ['10.20.0.0/24']"],
  ['two services on one database', (d) => { service(d, 'payment-service').database.name = 'order_service'; }, {}, 'dev',
    'services.payment-service.database.name: database "order_service" is order-service\'s already; each service has its own database; fix: give the database another name'],
  ['a database name that is not an identifier', (d) => { service(d, 'order-service').database.name = 'Orders-DB'; }, {}, 'dev',
    'services.order-service.database.name: must be a lowercase PostgreSQL identifier'],
  ['a secret that shadows the database URL', (d) => { service(d, 'payment-service').secrets.push({ key: 'db', env: 'DATABASE_URL' }); }, {}, 'dev',
    'services.payment-service.secrets.DATABASE_URL: DATABASE_URL comes from the declared database'],
  ['an in-cluster image not pinned by digest', (d) => { d.postgres = { location: 'in-cluster', image: 'docker.io/library/postgres:17' }; }, {}, 'dev',
    'postgres.image: must be pinned by digest: registry/name[:tag]@sha256:<digest>'],
  ['an in-cluster field on an external server', (d) => { d.postgres = { ...external, storage: '5Gi' }; }, {}, 'dev',
    'postgres: unknown field "storage"'],
])('%s', (_, edit, overrides, environment, expected) => {
  expect(messageOf(edit, overrides, environment)).toContain(expected);
});

test('every environment of the project resolves its server: in the cluster for dev, external with address ranges elsewhere', () => {
  const locations = Object.fromEntries((['dev', 'staging', 'prod'] as const).map((env) => {
    const spec = resolvePlatformSpec({ description: platform, environment: env, overrides: environments[env], images: TEST_IMAGES });
    return [env, spec.postgres?.location === 'external' ? `external ${spec.postgres.host}:${spec.postgres.port} ${spec.postgres.cidrs?.join(',')}` : spec.postgres?.location];
  }));
  expect(locations).toEqual({
    dev: 'in-cluster',
    staging: 'external postgres.staging.example.com:5432 10.20.0.0/24',
    prod: 'external postgres.shop.example.com:5432 10.30.0.0/24',
  });
});
