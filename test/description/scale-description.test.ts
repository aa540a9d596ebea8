/**
 * The generated descriptions of `npm run bench:scale` (bench/scale-description.ts) are valid descriptions: they pass
 * the real schema and rules in every environment, carry the features the benchmark claims to measure, and their
 * synthesized output passes the validator without an error.
 */
import { App } from 'cdk8s';
import { scaleDescription, scaleMix } from '../../bench/scale-description';
import { ENVIRONMENTS } from '../../src/description';
import { resolvePlatformSpec } from '../../src/description/resolve';
import { PRODUCTION_MIN_REPLICAS } from '../../src/description/rules';
import { addPlatformChart } from '../../src/platform';
import { validateObjects } from '../../src/validation';

const SERVICES = 10;
const generated = scaleDescription(SERVICES);
const specs = Object.fromEntries(ENVIRONMENTS.map((environment) =>
  [environment, resolvePlatformSpec({ description: generated.description, environment, overrides: generated.overrides[environment], images: generated.images })]));

test.each(ENVIRONMENTS)('%s: every generated service passes the schema and rules', (environment) => {
  expect(specs[environment].services.map((service) => service.name)).toEqual(generated.description.services.map((service) => service.name));
});

test('the services form a call chain, with static canaries, progressive services, exposed routes and databases', () => {
  const { services } = specs.staging;
  expect(services.slice(0, -1).every((service, i) => service.calls.length === 1 && service.calls[0] === services[i + 1].name)).toBe(true);
  const mix = scaleMix(SERVICES);
  expect(services.filter((service) => service.versions.length === 2 && service.versions.every((version) => version.weight > 0))).toHaveLength(mix.canaries);
  expect(services.filter((service) => service.delivery.mode === 'progressive')).toHaveLength(mix.progressive);
  expect(services.filter((service) => service.expose)).toHaveLength(mix.exposed);
  expect(services.filter((service) => service.database)).toHaveLength(mix.databases);
  expect(Object.values(mix).every((count) => count > 0)).toBe(true);
});

test('production overrides give every service the replicas production requires', () => {
  expect(specs.prod.production).toBe(true);
  expect(specs.prod.services.every((service) => service.autoscaling.minReplicas >= PRODUCTION_MIN_REPLICAS)).toBe(true);
});

test.each(ENVIRONMENTS)('%s: the synthesized output passes the validator without an error', (environment) => {
  const objects = addPlatformChart(new App(), specs[environment]).toJson();
  const errors = validateObjects(objects).filter((finding) => finding.severity === 'error');
  expect(errors).toEqual([]);
});
