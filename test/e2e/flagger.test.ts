/**
 * Progressive delivery with the real controller: Flagger built from its module runs out of cluster against the e2e
 * cluster (one process per namespace, its default provider the Canary's: `istio` or `gatewayapi:v1`) and a real
 * Prometheus (the toolchain's), which scrapes the test's exporter of Istio's and the services' own metrics (kwok runs
 * no Envoy and no pod: test/e2e/support/mesh-exporter.ts). The Canary, MetricTemplates and every
 * other object of dev's progressive order-service are the platform's synthesis, with a short analysis set through
 * the description (`delivery`) and the templates pointed at the test's Prometheus through `observability.prometheus.url`.
 *
 * Three namespaces run at once, each a synthesis of dev: sidecars with Istio routing (a healthy canary promotes; 20%
 * 5xx and a latency breach roll back), ambient with the Gateway API (the waypoint's series promote; a sidecar-shaped
 * query over them would have rolled back), and sidecars with the service's SLO rules loaded into Prometheus (a firing
 * ErrorBudgetBurn alert rolls back a canary whose own traffic is healthy).
 */
import { metricTemplateNames } from '../../src/delivery/progressive-delivery';
import { loadPlatformSpec, synthesizePlatform } from '../../src/platform';
import { renderServiceRulesFile } from '../../src/observability/rules-file';
import { databaseSecretName } from '../../src/description/names/database';
import { primaryName } from '../../src/description/names/workloads';
import type { EnvironmentOverrides } from '../../src/description/types';
import { requireTool } from '../../src/toolchain/index';
import { startPrometheus, instantQuery, type RunningServer } from '../observability/support/processes';
import { TEST_IMAGES, type KubeObject } from '../support/platform';
import { freePort } from '../support/ports';
import { kubectl } from './support/cluster';
import { eventually } from './support/eventually';
import { canaryEvents, canaryStatus, deploymentImage, followCanary, installFlaggerCrds, routeWeights, startFlagger, withFlaggerLog, type RunningFlagger, type Weights } from './support/flagger';
import { HEALTHY, startMeshExporter, type MeshExporter, type Traffic, type Workload } from './support/mesh-exporter';

const SERVICE = 'order-service';
/** Dev's delivery, shortened: Flagger's shortest interval (it raises anything under 10 s to 10 s), two steps, two failed checks. */
const DELIVERY = { mode: 'progressive', stepWeight: 25, maxWeight: 50, interval: '10s', threshold: 2 } as const;
/** The canary's weights in the route of a release that is promoted: 0, each step up to maxWeight, 0 after promotion. */
const PROMOTED_STEPS = [0, ...Array.from({ length: DELIVERY.maxWeight / DELIVERY.stepWeight }, (_, i) => (i + 1) * DELIVERY.stepWeight), 0];
/** A release rolled back at its first analysed step. */
const ROLLED_BACK_STEPS = [0, DELIVERY.stepWeight, 0];

/** The namespaces, each dev synthesized in one mesh mode. */
const LANES = {
  sidecar: { namespace: 'flagger-sidecar', mesh: { dataPlane: 'sidecar', routing: 'istio' } },
  ambient: { namespace: 'flagger-ambient', mesh: { dataPlane: 'ambient', routing: 'gateway-api' } },
  alerts: { namespace: 'flagger-alerts', mesh: { dataPlane: 'sidecar', routing: 'istio' } },
} as const;
type Lane = keyof typeof LANES;

const overrides = (lane: Lane, prometheusUrl?: string, mesh: EnvironmentOverrides['mesh'] = LANES[lane].mesh): EnvironmentOverrides => ({
  namespace: LANES[lane].namespace,
  mesh,
  ...(prometheusUrl ? { observability: { prometheus: { url: prometheusUrl } } } : {}),
  services: { [SERVICE]: { delivery: DELIVERY } },
});

/** The service as every lane resolves it (the SLO thresholds its templates check, its one version). */
const SPEC = loadPlatformSpec('dev', { images: TEST_IMAGES, overrides: overrides('alerts') });
const ORDER_SERVICE = SPEC.services.find((s) => s.name === SERVICE)!;
const { availabilityPercent, latency: { thresholdMs } } = ORDER_SERVICE.slo;

/** The image of release `n` of the service (release 0: the one the test starts with). */
const release = (n: number) => (n === 0 ? TEST_IMAGES[SERVICE] : `${TEST_IMAGES[SERVICE].replace(/:[^:/]+$/, '')}:release-${n}`);

const canary = (lane: Lane): Workload => ({ namespace: LANES[lane].namespace, service: SERVICE, role: 'canary' });
const primary = (lane: Lane): Workload => ({ namespace: LANES[lane].namespace, service: SERVICE, role: 'primary' });

let exporter: MeshExporter | undefined;
let prometheus: RunningServer | undefined;
/** One Flagger per lane, watching the lane's namespace. */
const flaggers: Partial<Record<Lane, RunningFlagger>> = {};

/** The lane's objects of the progressive service (and its Namespace) as synthesized with `image`. */
function serviceObjects(lane: Lane, image: string, mesh?: EnvironmentOverrides['mesh']): KubeObject[] {
  const { objects } = synthesizePlatform('dev', { images: { ...TEST_IMAGES, [SERVICE]: image }, overrides: overrides(lane, prometheus!.url, mesh) });
  return (objects as KubeObject[]).filter((o) => o.kind === 'Namespace' || o.metadata?.labels?.['app.kubernetes.io/name'] === SERVICE);
}

const apply = (objects: readonly KubeObject[]) =>
  kubectl(['apply', '--server-side', '--field-manager=mesh-platform-e2e', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));

/** {@link eventually} for `seconds`, with the lane's Flagger's last lines added to the error. */
function within<T>(lane: Lane, seconds: number, check: () => Promise<T>): Promise<T> {
  return withFlaggerLog(flaggers[lane], eventually(check, seconds * 1000));
}

/** What a user sees of one release. */
interface Outcome {
  readonly image: string;
  /** The Canary's final phase (`Succeeded` or `Failed`). */
  readonly phase: string;
  /** Its condition `Promoted`. */
  readonly promoted: { status: string; reason: string };
  /** The canary's weight in the route each time it changed, from before the release to the end. */
  readonly canarySteps: number[];
  readonly weights: Weights;
  readonly primaryImage: string;
  /** The Canary's events during the release. */
  readonly events: string[];
}

/**
 * Deploys release `n` of the lane's service (the whole synthesis applied again, with `replace`'s objects instead of
 * those of the same kind and name) with `traffic` on the canary, and follows it to the end.
 */
async function deployRelease(lane: Lane, n: number, traffic: Traffic, replace: readonly KubeObject[] = []): Promise<Outcome> {
  const { namespace, mesh } = LANES[lane];
  const image = release(n);
  const since = new Date();
  exporter!.setMeshTraffic(canary(lane), traffic);
  const replaced = (o: KubeObject) => replace.find((r) => r.kind === o.kind && r.metadata.name === o.metadata.name) ?? o;
  await apply(serviceObjects(lane, image).map(replaced));
  const { status, canarySteps } = await withFlaggerLog(flaggers[lane], followCanary(namespace, SERVICE, mesh.routing, 300));
  const promoted = status.conditions.find((c: KubeObject) => c.type === 'Promoted');
  return {
    image,
    phase: status.phase,
    promoted: { status: promoted?.status, reason: promoted?.reason },
    canarySteps,
    weights: (await routeWeights(namespace, SERVICE, mesh.routing))!,
    primaryImage: await deploymentImage(namespace, primaryName(SERVICE)),
    events: await canaryEvents(namespace, SERVICE, since),
  };
}

/**
 * Applies the lane's service at release 0 (with the database Secret the Pulumi program would create), starts the lane's
 * Flagger with its Canary's provider as the default, and waits for Flagger's initialization.
 */
async function setUpLane(lane: Lane): Promise<void> {
  const { namespace } = LANES[lane];
  exporter!.setMeshTraffic(primary(lane), HEALTHY);
  const objects = serviceObjects(lane, release(0));
  const meshProvider = objects.find((o) => o.kind === 'Canary')!.spec.provider;
  flaggers[lane] = startFlagger(requireTool('flagger'), { namespace, metricsServer: prometheus!.url, meshProvider, port: await freePort() });
  await apply(objects.filter((o) => o.kind === 'Namespace'));
  // Flagger copies every Secret the pod template mounts to <name>-primary; Pulumi creates this one from a stack secret.
  await apply([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: databaseSecretName(SERVICE), namespace }, stringData: { url: 'postgres://placeholder' } }]);
  await apply(objects);
  await within(lane, 180, async () => {
    const status = await canaryStatus(namespace, SERVICE);
    if (status.phase !== 'Initialized') throw new Error(`${namespace}: the Canary was not Initialized within 180 s: ${JSON.stringify(status)}`);
  });
}

/** The sidecar-shaped success-rate query (`reporter="destination"`) the same description would generate with sidecars. */
function sidecarShapedSuccessRate(): KubeObject {
  const template = serviceObjects('ambient', release(0), { dataPlane: 'sidecar', routing: 'gateway-api' })
    .find((o) => o.kind === 'MetricTemplate' && o.metadata.name === metricTemplateNames(SERVICE).successRate);
  return template!;
}

/** Runs `steps` one after the other (each also after the one before failed); each key resolves with its step's result. */
function inOrder<K extends string, T>(steps: readonly (readonly [K, () => Promise<T>])[]): Record<K, Promise<T>> {
  const results = {} as Record<K, Promise<T>>;
  let previous: Promise<unknown> = Promise.resolve();
  for (const [key, step] of steps) {
    const result = previous.then(step);
    result.catch(() => undefined); // awaited by its test; no unhandled rejection before that
    results[key] = result;
    previous = result.catch(() => undefined);
  }
  return results;
}

let results: Record<'healthy' | 'errors' | 'latency' | 'ambientHealthy' | 'ambientTrap' | 'alert', Promise<Outcome>>;
/** The page alert seen firing before the alerts lane's release, and the trap's queries over the waypoint's series. */
let alertFiring: Promise<{ metric: Record<string, string> }[]>;
let trapQueries: Promise<Record<'generated' | 'sidecarShaped', { query: string; value: number }>>;

beforeAll(async () => {
  await installFlaggerCrds();
  exporter = await startMeshExporter(Object.fromEntries(Object.values(LANES).map(({ namespace, mesh }) =>
    [namespace, { dataPlane: mesh.dataPlane, version: ORDER_SERVICE.versions[0].name }])));
  // The alerts lane's SLO rules, as its PrometheusRule carries them.
  const rules = renderServiceRulesFile(SPEC, ORDER_SERVICE);
  prometheus = await startPrometheus(requireTool('prometheus'), {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: ['rules.yml'],
    // honor_labels: the exporter writes the target labels (namespace, app, pod) a PodMonitor's scrape would add.
    scrape_configs: [{ job_name: 'mesh', honor_labels: true, static_configs: [{ targets: [exporter.target] }] }],
  }, { 'rules.yml': rules });
  // The alerts lane's service answers half its requests with 5xx from the start: the page needs its `for` to fire.
  exporter.setAppTraffic(primary('alerts'), { ...HEALTHY, errorRatio: 0.5 });
  await Promise.all((Object.keys(LANES) as Lane[]).map(setUpLane));

  const sidecar = inOrder([
    ['healthy', () => deployRelease('sidecar', 1, HEALTHY)],
    ['errors', () => deployRelease('sidecar', 2, { ...HEALTHY, errorRatio: 0.2 })],
    ['latency', () => deployRelease('sidecar', 3, { ...HEALTHY, latencyMs: 1000 })],
  ] as const);
  const ambient = inOrder([
    ['ambientHealthy', () => deployRelease('ambient', 1, HEALTHY)],
    ['ambientTrap', () => deployRelease('ambient', 2, HEALTHY, [sidecarShapedSuccessRate()])],
  ] as const);
  const { namespace } = LANES.alerts;
  alertFiring = within('alerts', 300, async () => {
    const firing = await instantQuery(prometheus!, `ALERTS{alertname="ErrorBudgetBurn",alertstate="firing",namespace="${namespace}",service="${SERVICE}"}`);
    if (firing.length === 0) throw new Error(`${namespace}: ErrorBudgetBurn did not fire within 300 s`);
    return firing;
  });
  alertFiring.catch(() => undefined);
  const alert = alertFiring.then(() => deployRelease('alerts', 1, HEALTHY));
  alert.catch(() => undefined);
  results = { ...sidecar, ...ambient, alert };
  trapQueries = ambient.ambientHealthy.then(async () => {
    const run = async (query: string) => ({ query, value: Number((await instantQuery(prometheus!, query))[0]?.value[1] ?? Number.NaN) });
    const generated = serviceObjects('ambient', release(0)).find((o) => o.metadata.name === metricTemplateNames(SERVICE).successRate)!;
    return { generated: await run(generated.spec.query), sidecarShaped: await run(sidecarShapedSuccessRate().spec.query) };
  });
  trapQueries.catch(() => undefined);
}, 400_000);

afterAll(async () => {
  await Promise.all(Object.values(flaggers).map((flagger) => flagger.stop()));
  await prometheus?.stop();
  await exporter?.close();
  await kubectl(['delete', 'namespace', '--wait=false', '--ignore-not-found', ...Object.values(LANES).map((l) => l.namespace)]).catch(() => undefined);
});

describe('sidecars with Istio routing', () => {
  test('1. a healthy canary steps 25, 50, is promoted, the primary runs the new image and takes 100% again', async () => {
    const result = await results.healthy;
    expect(result.phase).toBe('Succeeded');
    expect(result.promoted).toEqual({ status: 'True', reason: 'Succeeded' });
    expect(result.canarySteps).toEqual(PROMOTED_STEPS);
    expect(result.weights).toEqual({ primary: 100, canary: 0 });
    expect(result.primaryImage).toBe(result.image);
    expect(result.events).toEqual(expect.arrayContaining([expect.stringMatching(/^Copying order-service\.flagger-sidecar template spec to order-service-primary/)]));
  });

  test('2. 20% 5xx on the canary: rolled back after two failed checks, weights 100/0, the primary keeps the old image', async () => {
    const result = await results.errors;
    expect(result.phase).toBe('Failed');
    expect(result.promoted).toEqual({ status: 'False', reason: 'Failed' });
    expect(result.canarySteps).toEqual(ROLLED_BACK_STEPS);
    expect(result.weights).toEqual({ primary: 100, canary: 0 });
    expect(result.primaryImage).toBe(release(1));
    expect(result.events).toEqual(expect.arrayContaining([
      `Halt order-service.flagger-sidecar advancement success-rate 80.00 < ${availabilityPercent}`,
      `Rolling back order-service.flagger-sidecar failed checks threshold reached ${DELIVERY.threshold}`,
    ]));
  });

  test('3. a latency breach (every request 1 s against the latency objective) rolls back', async () => {
    const result = await results.latency;
    expect(result.phase).toBe('Failed');
    expect(result.weights).toEqual({ primary: 100, canary: 0 });
    expect(result.primaryImage).toBe(release(1));
    expect(result.events).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^Halt order-service\\.flagger-sidecar advancement latency \\d+\\.\\d+ > ${thresholdMs}$`))]));
    expect(result.events.filter((e) => e.includes('success-rate'))).toEqual([]);
  });
});

describe('ambient with the Gateway API (waypoint-shaped series)', () => {
  test('4a. the generated templates promote a healthy canary through the HTTPRoute', async () => {
    const result = await results.ambientHealthy;
    expect(result.phase).toBe('Succeeded');
    expect(result.canarySteps).toEqual(PROMOTED_STEPS);
    expect(result.weights).toEqual({ primary: 100, canary: 0 });
    expect(result.primaryImage).toBe(result.image);
  });

  test('4b. a sidecar-shaped query (reporter="destination") over the same series returns nothing, and its Canary rolls back', async () => {
    const { generated, sidecarShaped } = await trapQueries;
    expect(generated.query).toContain('reporter="waypoint"');
    expect(generated.value).toBe(100);
    expect(sidecarShaped.query).toContain('reporter="destination"');
    expect(sidecarShaped.value).toBeNaN(); // no series: Prometheus returns an empty vector
    const result = await results.ambientTrap;
    expect(result.phase).toBe('Failed');
    expect(result.canarySteps).toEqual(ROLLED_BACK_STEPS);
    expect(result.weights).toEqual({ primary: 100, canary: 0 });
    expect(result.primaryImage).toBe(release(1));
    expect(result.events).toEqual(expect.arrayContaining([expect.stringMatching(/^Halt advancement no values found for custom metric: success-rate/)]));
  });
});

describe('a firing SLO alert (the generated rules in Prometheus)', () => {
  // A rules file Prometheus refused would have failed its start; this shows the alerts are the generated ones.
  test('Prometheus loaded the alerts lane\'s generated SLO rules', async () => {
    const rules = await fetch(`${prometheus!.url}/api/v1/rules?type=alert`).then((r) => r.json()) as { data: { groups: { rules: { name: string }[] }[] } };
    expect(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name))).toEqual(expect.arrayContaining(['ErrorBudgetBurn', 'LatencyObjectiveMissed']));
  });

  test('6. ErrorBudgetBurn firing for the service rolls back a canary whose own traffic is healthy', async () => {
    const firing = await alertFiring;
    expect(firing.map((a) => a.metric.severity)).toEqual(['page']);
    const result = await results.alert;
    expect(result.phase).toBe('Failed');
    expect(result.weights).toEqual({ primary: 100, canary: 0 });
    expect(result.primaryImage).toBe(release(0));
    expect(result.events).toEqual(expect.arrayContaining([expect.stringMatching(/^Halt order-service\.flagger-alerts advancement slo-alerts 1\.00 > 0$/)]));
    expect(result.events.filter((e) => /success-rate|latency/.test(e))).toEqual([]);
  });
});
