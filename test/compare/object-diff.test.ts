/** Comparing environments: per object, what was added, removed or changed, with the fields and both values. */
import { synthesizePlatform } from '../../src/platform';
import { diffObjects, formatDiff, serviceObjects, type ManifestObject } from '../../src/compare/object-diff';
import { runPackageScript } from '../support/run-script';
import { TEST_IMAGES } from '../support/platform';

const objects = (env: 'dev' | 'staging' | 'prod') => synthesizePlatform(env, { images: TEST_IMAGES }).objects as ManifestObject[];

test('names added, removed and changed objects, with list elements named by their name', () => {
  const before: ManifestObject[] = [
    { kind: 'Deployment', metadata: { name: 'a', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'x:1' }, { name: 'side', image: 'y:1' }] } },
    { kind: 'Service', metadata: { name: 'gone', namespace: 'shop' } },
  ];
  const after: ManifestObject[] = [
    { kind: 'Deployment', metadata: { name: 'a', namespace: 'shop' }, spec: { containers: [{ name: 'side', image: 'y:1' }, { name: 'app', image: 'x:2' }] } },
    { kind: 'Namespace', metadata: { name: 'new' } },
  ];
  expect(formatDiff(diffObjects(before, after), ['dev', 'prod'])).toBe([
    '~ Deployment shop/a',
    '    spec.containers[app].image: "x:1" -> "x:2"',
    '+ Namespace new (only in prod)',
    '- Service shop/gone (only in dev)',
  ].join('\n'));
  expect(formatDiff(diffObjects(before, before), ['dev', 'dev'])).toBe('no difference between dev and dev');
});

test('staging and prod of the description differ as the environments say, and only there', () => {
  // (dev runs another mesh mode, ambient with the Gateway API, so most of its objects differ from prod's by design.)
  const diffs = diffObjects(objects('staging'), objects('prod'));
  const user = diffs.find((d) => d.key === 'HorizontalPodAutoscaler shop/user-service-v1');
  expect(user).toEqual({ key: 'HorizontalPodAutoscaler shop/user-service-v1', change: 'changed', fields: expect.arrayContaining([{ path: 'spec.minReplicas', before: 1, after: 2 }]) });
  // Services prod (alone) scales on requests per second: their versions' HPAs become KEDA ScaledObjects; nothing else comes or goes.
  const byLoad = (env: 'staging' | 'prod') => new Set(synthesizePlatform(env, { images: TEST_IMAGES }).spec.services
    .filter((service) => service.autoscaling.requestsPerSecond !== undefined).flatMap((service) => service.versions.map((v) => `shop/${service.name}-${v.name}`)));
  const switched = [...byLoad('prod')].filter((name) => !byLoad('staging').has(name));
  expect(switched.length).toBeGreaterThan(0);
  expect(diffs.filter((d) => d.change === 'removed' || d.change === 'added').map((d) => `${d.change} ${d.key}`).sort()).toEqual([
    ...switched.map((name) => `added ScaledObject ${name}`),
    ...switched.map((name) => `removed HorizontalPodAutoscaler ${name}`),
  ].sort());
  expect(diffs.some((d) => d.key === 'Gateway shop/shop-gateway' && d.change === 'changed')).toBe(true);
  expect(diffObjects(objects('dev'), objects('dev'))).toEqual([]);
});

test('a service\'s objects are those labelled with its name', () => {
  const payment = serviceObjects(objects('dev'), 'payment-service').map((o) => `${o.kind}/${o.metadata!.name}`);
  expect(payment).toEqual(expect.arrayContaining(['Deployment/payment-service-v1', 'Service/payment-service', 'ServiceAccount/payment-service']));
  expect(payment.every((key) => key.includes('payment-service'))).toBe(true);
});

test('npm run diff names first the services delivered differently: dev\'s progressive order-service, static in staging', () => {
  const result = runPackageScript('diff', ['dev', 'staging', '--service', 'order-service']);
  expect(result.status).toBe(0);
  const [first] = result.stdout.split('\n');
  const staging = synthesizePlatform('staging', { images: TEST_IMAGES }).spec.services.find((s) => s.name === 'order-service')!;
  const weights = staging.versions.map((v) => `${v.name} ${v.weight}%`).join(', ');
  expect(first).toBe(`~ delivery order-service: progressive (Flagger): 20% a step up to 60%, every 1m, rolled back after 3 failed checks (analysis: mesh) -> static: ${weights}`);
  expect(result.stdout).toContain('- Canary shop/order-service (only in dev)');
  // Weights are delivery too (staging and prod split order-service differently); user-service is delivered alike.
  expect(runPackageScript('diff', ['staging', 'prod', '--service', 'order-service']).stdout).toMatch(/^~ delivery order-service: static: .* -> static: /);
  expect(runPackageScript('diff', ['staging', 'prod', '--service', 'user-service']).stdout).not.toContain('~ delivery');
});

test('npm run diff compares two environments, one service at a time, and refuses unknown names', () => {
  const result = runPackageScript('diff', ['dev', 'staging', '--service', 'payment-service']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  // dev routes with the Gateway API, staging with Istio: payment-service's VirtualService exists in staging only.
  expect(result.stdout).toContain('+ VirtualService shop/payment-service (only in staging)');
  expect(result.stdout).not.toContain('order-service-v1');
  const unknown = runPackageScript('diff', ['dev', 'prd']);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toBe('diff: unknown environment "prd" (known: dev, staging, prod); did you mean "prod"?\n');
  const show = runPackageScript('diff', ['--show', 'prod', '--service', 'user-service']);
  expect(show.status).toBe(0);
  expect(show.stdout).toContain('kind: HorizontalPodAutoscaler');
  expect(show.stdout).toContain('minReplicas: 2');
});
