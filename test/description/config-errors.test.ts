/** Invalid descriptions fail with one message naming the environment, the service, the field and the fix. */
import { platform } from '../../src/config/platform';
import { PlatformConfigError, resolvePlatformSpec, type EnvironmentName, type EnvironmentOverrides, type PlatformDescription } from '../../src/description';
import { imageReferences } from '../../src/images';
import { TEST_IMAGES } from '../support/platform';

/** The description as a loosely typed object, so that tests can break it in ways the types forbid. */
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Edit = (description: Loose) => void;

function resolve(edit: Edit = () => {}, overrides: EnvironmentOverrides = {}, environment: EnvironmentName = 'dev') {
  const description: Loose = structuredClone(platform);
  edit(description);
  return resolvePlatformSpec({ description: description as PlatformDescription, environment, overrides, images: TEST_IMAGES });
}

function errorOf(run: () => unknown): PlatformConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof PlatformConfigError) return error;
    throw error;
  }
  throw new Error('expected a PlatformConfigError');
}

const service = (d: Loose, name: string): Loose => d.services.find((s: Loose) => s.name === name);

/** The description's services as messages list them; derived, so adding a service changes no expectation here. */
const serviceList = platform.services.map((s) => s.name).join(', ');

/** A name no user would give a service (tests must not use one a user might add). */
const NO_SUCH_SERVICE = 'zz-no-such-service';

test('the project description resolves in every environment', () => {
  expect(() => resolve()).not.toThrow();
});

test.each<[string, Edit, EnvironmentOverrides, string]>([
  ['weights that do not add up', (d) => { service(d, 'order-service').canary.weights = { v1: 80, v2: 30 }; }, {},
    'platform config (environment dev): services.order-service.canary.weights: weights must add up to 100 (got 80 + 30 = 110); fix: adjust the weights so that they sum to 100'],
  ['a weight for a version that is not deployed', (d) => { service(d, 'order-service').canary.weights = { v1: 90, v3: 10 }; }, {},
    'services.order-service.canary.weights.v3: version "v3" is routed to but not deployed (deployed: v1, v2); fix: add "v3" to services.order-service.versions or route to a deployed version'],
  ['a header route to a version that is not deployed', (d) => { service(d, 'order-service').canary.header.version = 'v9'; }, {},
    'services.order-service.canary.header.version: version "v9" is routed to but not deployed'],
  ['two versions and no weights', (d) => { delete service(d, 'order-service').canary.weights; }, {},
    'services.order-service.canary.weights: 2 versions are deployed (v1, v2) but no weights say how traffic is split; fix: set canary.weights, e.g. { v1: 100, v2: 0 }'],
  ['a caller naming an unknown service', (d) => { service(d, 'order-service').calls = ['user-service', NO_SUCH_SERVICE]; }, {},
    `services.order-service.calls: unknown service "${NO_SUCH_SERVICE}" (services: ${serviceList}); fix: name another service of the platform`],
  ['a caller naming a misspelt service', (d) => { service(d, 'order-service').calls = ['user-service', 'paymnet-service']; }, {},
    `services.order-service.calls: unknown service "paymnet-service" (services: ${serviceList}); fix: did you mean "payment-service"?`],
  ['an override naming an unknown service', () => {}, { services: { [NO_SUCH_SERVICE]: { autoscaling: { maxReplicas: 4 } } } },
    `overrides.services.${NO_SUCH_SERVICE}: no service named "${NO_SUCH_SERVICE}" (services: ${serviceList}); fix: override an existing service or add it to the platform description`],
  ['an override naming a misspelt service', () => {}, { services: { 'ordr-service': { autoscaling: { maxReplicas: 4 } } } },
    `overrides.services.ordr-service: no service named "ordr-service" (services: ${serviceList}); fix: did you mean "order-service"?`],
  ['min replicas above max', () => {}, { services: { 'user-service': { autoscaling: { minReplicas: 5, maxReplicas: 3 } } } },
    'services.user-service.autoscaling.minReplicas: minReplicas (5) is above maxReplicas (3); fix: lower minReplicas or raise maxReplicas'],
  ['a malformed duration', () => {}, { services: { 'order-service': { traffic: { timeout: '5 seconds' } } } },
    'services.order-service.traffic.timeout: must be a duration such as "500ms", "2s", "1m" or "1h"'],
  ['a malformed quantity', () => {}, { services: { 'payment-service': { resources: { memoryLimit: '256MB' } } } },
    'services.payment-service.resources.memoryLimit: must be a Kubernetes quantity such as "250m", "1", "128Mi" or "1Gi"'],
  ['a request above its limit', () => {}, { services: { 'payment-service': { resources: { cpuRequest: '2', cpuLimit: '500m' } } } },
    'services.payment-service.resources.cpuRequest: cpu request 2 is above its limit 500m'],
  ['a retry that outlasts its route', () => {}, { services: { 'user-service': { traffic: { timeout: '2s', retries: { perTryTimeout: '2500ms' } } } } },
    'services.user-service.traffic.retries.perTryTimeout: perTryTimeout 2500ms is not shorter than the route timeout 2s, so no retry could ever start'],
  ['a duplicate service name', (d) => { d.services.push({ ...service(d, 'user-service') }); }, {},
    'services.user-service: duplicate service name "user-service"; fix: give each service a unique name'],
  ['a duplicate port name', (d) => { service(d, 'user-service').ports = [{ name: 'http', port: 8080 }, { name: 'http', port: 9090 }]; }, {},
    'services.user-service.ports.http: duplicate port name "http"; fix: give each port a unique name'],
  ['an unknown field', (d) => { service(d, 'user-service').replicas = 3; }, {},
    'services.user-service: unknown field "replicas"; fix: remove it or correct its spelling'],
  ['a misspelt field, with the fields allowed there', () => {}, { services: { 'user-service': { autoscaling: { maxReplica: 4 } } } } as EnvironmentOverrides,
    'services.user-service.autoscaling: unknown field "maxReplica"; fix: did you mean "maxReplicas"? (fields here: minReplicas, maxReplicas, cpuUtilization,'],
  ['a misspelt option', () => {}, { services: { 'user-service': { trafficPolicy: { loadBalancer: 'ROUND_ROBBIN' } } } } as unknown as EnvironmentOverrides,
    'services.user-service.trafficPolicy.loadBalancer: expected one of "LEAST_REQUEST", "ROUND_ROBIN", "RANDOM", got the string "ROUND_ROBBIN"; fix: did you mean "ROUND_ROBIN"?'],
  ['a weight written as a string', (d) => { service(d, 'order-service').canary.weights = { v1: '80', v2: 20 }; }, {},
    'services.order-service.canary.weights.v1: expected a number, got the string "80"; fix: write 80 without quotes'],
  ['a replica count written as a string', () => {}, { services: { 'user-service': { autoscaling: { minReplicas: '2' } } } } as unknown as EnvironmentOverrides,
    'services.user-service.autoscaling.minReplicas: expected a number, got the string "2"; fix: write 2 without quotes'],
  ['a fractional weight', (d) => { service(d, 'order-service').canary.weights = { v1: 49.5, v2: 50.5 }; }, {},
    'services.order-service.canary.weights.v1: weights must be whole percentages (got the number 49.5); fix: use a whole number, such as 49 or 50'],
  ['a fractional replica count', () => {}, { services: { 'user-service': { autoscaling: { maxReplicas: 2.5 } } } },
    'services.user-service.autoscaling.maxReplicas: expected a whole number, got the number 2.5; fix: use a whole number, such as 2 or 3'],
  ['a number out of range', () => {}, { services: { 'user-service': { autoscaling: { cpuUtilization: 150 } } } },
    'services.user-service.autoscaling.cpuUtilization: must be at most 100 (got the number 150)'],
  ['a flag written as a string', () => {}, { networkPolicies: 'true' } as unknown as EnvironmentOverrides,
    'networkPolicies: expected true or false, got the string "true"; fix: write true without quotes'],
  ['an image tagged latest', (d) => { service(d, 'user-service').versions[0].image = 'registry.example.com/shop/user-service:latest'; }, {},
    'services.user-service.versions.v1.image: must be registry/name:tag or registry/name@sha256:<digest>, never ":latest" or untagged'],
  ['a registry path the image grammar refuses', () => {}, { registry: 'registry.example.com/shop.-x' },
    'platform config (environment dev): registry: "shop.-x" is not a path component (lower-case letters and digits, separated by ".", "_", "__" or "-") (got the string "registry.example.com/shop.-x"); fix: write a lower-case registry path such as "registry.example.com/shop" or "localhost:5000/shop" (no scheme, no tag)'],
  ['a registry with a scheme', () => {}, { registry: 'https://registry.example.com/shop' },
    'registry: a registry path has no scheme (got the string "https://registry.example.com/shop"); fix: write a lower-case registry path'],
  ['a missing required field', (d) => { delete service(d, 'user-service').versions; }, {},
    'services.user-service.versions: is required'],
])('%s', (_, edit, overrides, message) => {
  expect(errorOf(() => resolve(edit, overrides)).message).toContain(message);
});

test('a registry path the images could not be pushed under fails at the schema, before any image reference is made', () => {
  const error = errorOf(() => resolvePlatformSpec({
    description: platform, environment: 'staging', overrides: { registry: 'registry.example.com/shop.-x' }, images: imageReferences,
  }));
  expect(error.message.split('\n')).toEqual([expect.stringMatching(/^platform config \(environment staging\): registry: "shop.-x" is not a path component .*; fix: /)]);
});

test('production refuses fault injection and single replicas', () => {
  const error = errorOf(() => resolve(() => {}, {
    production: true,
    services: { 'payment-service': { autoscaling: { minReplicas: 1 }, traffic: { fault: { abort: { percentage: 5, httpStatus: 503 } } } } },
  }, 'prod'));
  expect(error.message).toContain('platform config (environment prod): services.payment-service.autoscaling.minReplicas: production needs at least 2 replicas');
  expect(error.message).toContain('services.payment-service.traffic.fault: fault injection is not allowed in production');
});

test('a sum of weights from the environment and from the description names where each comes from', () => {
  const error = errorOf(() => resolve((d) => {
    service(d, 'order-service').versions.push({ name: 'v3' });
    service(d, 'order-service').canary.weights = { v1: 50, v2: 10, v3: 40 };
  }, { services: { 'order-service': { canary: { weights: { v1: 50, v3: 60 } } } } }));
  expect(error.message).toContain(
    'platform config (environment dev): services.order-service.canary.weights: weights must add up to 100 (got 50 (dev) + 10 (inherited from the description) + 60 (dev) = 120)',
  );
});

test('every issue is reported at once, one per line', () => {
  const error = errorOf(() => resolve((d) => {
    service(d, 'order-service').canary.weights = { v1: 10, v2: 10 };
    service(d, 'order-service').calls = ['nobody'];
  }));
  expect(error.issues.map((issue) => issue.path)).toEqual(['services.order-service.canary.weights', 'services.order-service.calls']);
  expect(error.message.split('\n')).toHaveLength(2);
});

test('secret values appear only when an environment supplies them, as stringData of the referenced Secret', () => {
  const spec = resolve(() => {}, { services: { 'payment-service': { secretValues: { 'provider-api-key': 'local-only' } } } });
  expect(spec.services.find((s) => s.name === 'payment-service')!.secret).toEqual({
    name: 'payment-service-secrets', keys: [{ key: 'provider-api-key', env: 'PAYMENT_PROVIDER_API_KEY' }], values: { 'provider-api-key': 'local-only' },
  });
  expect(errorOf(() => resolve(() => {}, { services: { 'payment-service': { secretValues: { 'api-key': 'x' } } } })).message)
    .toContain('services.payment-service.secretValues.api-key: no secret key "api-key" is declared (declared: provider-api-key)');
});

test('the resolved spec is frozen, so constructs cannot change it', () => {
  const spec = resolve();
  expect(Object.isFrozen(spec.services[0].versions[0])).toBe(true);
});
