/** Progressive delivery at the spec boundary: what Flagger cannot express fails with the field and the alternative. */
import { platform } from '../../src/config/platform';
import { PlatformConfigError, resolvePlatformSpec, type EnvironmentOverrides } from '../../src/description';
import { describeSteps, type ProgressiveDelivery } from '../../src/description/delivery-schema';
import { TEST_IMAGES } from '../support/platform';

type ServiceOverrides = NonNullable<EnvironmentOverrides['services']>[string];

/** order-service delivered progressively in dev, with `extra` over that. */
function progressive(extra: ServiceOverrides = {}, platformOverrides: EnvironmentOverrides = { observability: { prometheus: {} } }) {
  const base: ServiceOverrides = { versions: [{ name: 'v2' }], canary: null, delivery: { mode: 'progressive' } };
  const overrides: EnvironmentOverrides = { ...platformOverrides, services: { 'order-service': { ...base, ...extra } } };
  return resolvePlatformSpec({ description: platform, environment: 'dev', overrides, images: TEST_IMAGES });
}

function messages(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PlatformConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a PlatformConfigError');
}

const AT = 'platform config (environment dev): services.order-service';

test('delivery is static unless an environment says otherwise, and progressive fields take their defaults', () => {
  const statically = resolvePlatformSpec({ description: platform, environment: 'dev', images: TEST_IMAGES });
  expect(statically.services.map((s) => s.delivery.mode)).toEqual(platform.services.map(() => 'static'));
  const order = progressive().services.find((s) => s.name === 'order-service')!;
  expect(order.delivery).toEqual({ mode: 'progressive', maxWeight: 50, interval: '1m', threshold: 5, analysisSource: 'mesh', rollbackOnAlerts: true, webhooks: [] });
  // `canary: null` removed the description's weights and header pin: one version at 100.
  expect([order.canary, order.versions.map((v) => `${v.name}=${v.weight}`)]).toEqual([{}, ['v2=100']]);
});

test.each<[string, ServiceOverrides, EnvironmentOverrides | undefined, string]>([
  ['two versions', { versions: [{ name: 'v1' }, { name: 'v2' }] }, undefined,
    `${AT}.versions: progressive delivery runs one Deployment, which Flagger copies to <name>-primary, and a new image starts the canary (got 2 versions: v1, v2); fix: set versions to the one version this environment runs, e.g. [{ name: 'v2' }], or set delivery.mode to 'static' in this environment for explicit versions with weights`],
  ['explicit weights', { canary: { weights: { v2: 100 } } }, undefined,
    `${AT}.canary.weights: explicit weights cannot be combined with progressive delivery: Flagger sets the weights step by step; fix: set canary to null in this environment's overrides (delivery.stepWeight and maxWeight shape the steps), or set delivery.mode to 'static' in this environment`],
  ['a header pin', { canary: { header: { version: 'v2' } } }, undefined,
    `${AT}.canary.header: header pinning cannot be expressed: Flagger's analysis.match sends only the matching requests through the canary, at the stepped weight (A/B testing), and every other request to the primary; fix: set canary to null in this environment's overrides (test the canary with a delivery webhook instead), or set delivery.mode to 'static' in this environment`],
  ['fault injection', { traffic: { fault: { abort: { percentage: 5, httpStatus: 503 } } } }, { observability: { prometheus: {} }, mesh: { dataPlane: 'sidecar', routing: 'istio' } },
    `${AT}.traffic.fault: Flagger's routes carry no fault injection; fix: remove traffic.fault in this environment (resilience drills need static delivery with Istio routing), or set delivery.mode to 'static' in this environment`],
  ['mirroring', { traffic: { mirror: { version: 'v2' } } }, undefined,
    `${AT}.traffic.mirror: mirroring to another version cannot be expressed: progressive delivery runs one version, and Flagger mirrors only the primary's traffic to its own canary; fix: remove traffic.mirror in this environment, or set delivery.mode to 'static' in this environment for a dark launch`],
  ['no Prometheus', {}, {},
    `${AT}.delivery: Flagger's analysis reads the service's success rate and latency from Prometheus, and this environment names none; fix: set observability.prometheus (e.g. {}), or set delivery.mode to 'static' in this environment`],
  ['both step forms', { delivery: { mode: 'progressive', stepWeight: 10, stepWeights: [10, 20] } }, undefined,
    `${AT}.delivery.stepWeights: stepWeight and stepWeights are both set, and Flagger would follow only stepWeights; fix: set one of them`],
  ['steps that do not rise', { delivery: { mode: 'progressive', stepWeights: [10, 5, 20] } }, undefined,
    `${AT}.delivery.stepWeights: weights must increase step by step (got 10, 5, 20); fix: list them in increasing order, e.g. [5, 10, 25, 50]`],
  ['a first step above the maximum', { delivery: { mode: 'progressive', stepWeight: 40, maxWeight: 30 } }, undefined,
    `${AT}.delivery.stepWeight: the first step (40%) is above maxWeight (30%); fix: lower stepWeight to 30 or less, or raise maxWeight`],
  ['a webhook named twice', { delivery: { mode: 'progressive', webhooks: [{ name: 'load', url: 'http://tester.test/' }, { name: 'load', url: 'http://tester.test/' }] } }, undefined,
    `${AT}.delivery.webhooks.load: duplicate webhook name "load"; fix: give each webhook a unique name`],
])('%s is refused, naming the field and the alternative', (_, extra, platformOverrides, message) => {
  expect(messages(() => progressive(extra, platformOverrides))).toContain(message);
});

test('a schema error in the delivery block names the field', () => {
  expect(messages(() => progressive({ delivery: { mode: 'progressive', interval: '90 seconds' } as never }))).toEqual([
    `${AT}.delivery.interval: must be a duration such as "30s", "1m" or "1h" (got the string "90 seconds")`,
  ]);
});

test('the environment\'s delivery.crds defaults to install; another value is an error naming the field', () => {
  expect(progressive().delivery).toEqual({ crds: 'install' });
  expect(progressive({}, { observability: { prometheus: {} }, delivery: { crds: 'present' } }).delivery.crds).toBe('present');
  const errors = messages(() => progressive({}, { observability: { prometheus: {} }, delivery: { crds: 'helm' as 'install' } }));
  expect(errors.some((line) => line.includes('delivery.crds'))).toBe(true);
});

test('the steps in words, for dashboards and npm run diff', () => {
  const order = (extra: ServiceOverrides) => progressive(extra).services.find((s) => s.name === 'order-service')!.delivery as ProgressiveDelivery;
  expect(describeSteps(order({}))).toBe('10% a step');
  expect(describeSteps(order({ delivery: { mode: 'progressive', stepWeights: [5, 10, 25] } }))).toBe('steps of 5%, 10%, 25%');
});
