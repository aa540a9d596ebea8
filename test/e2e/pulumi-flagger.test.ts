/**
 * A release of a progressive service through the Pulumi program, promoted by the real Flagger: dev deployed by
 * `npm run deploy` (the Automation API, as test/e2e/pulumi.test.ts runs it) with the run's images (pushed to a loopback
 * registry by the global setup);
 * Flagger from the toolchain out of cluster; a real Prometheus scraping the test's exporter of waypoint-shaped series
 * (dev is ambient; kwok runs no proxy: test/e2e/support/mesh-exporter.ts). What makes dev's Canary analysable here is
 * stack config `overrides`, the documented per-stack override of the environment (docs/deploy.md): the templates'
 * Prometheus address, a 10 s analysis and a platform name of its own (so its namespace, and its objects in Istio's, are
 * no other file's: files run side by side). A user's release is a code change: the test changes
 * order-service's code in the project's copy, pushes its image (`npm run images -- --push`), sets it in stack config
 * `images` and runs `up`; Flagger runs the canary to promotion, and a refreshed preview then shows no changes.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizePlatform } from '../../src/platform';
import { primaryName } from '../../src/description/names/workloads';
import type { EnvironmentOverrides } from '../../src/description/types';
import { requireTool } from '../../src/toolchain/index';
import { startPrometheus, type RunningServer } from '../observability/support/processes';
import { TEST_IMAGES, type KubeObject } from '../support/platform';
import { freePort } from '../support/ports';
import { getJson, kubectl } from './support/cluster';
import { eventually } from './support/eventually';
import { canaryEvents, canaryStatus, deploymentImage, followCanary, routeWeights, startFlagger, withFlaggerLog, type CanaryRun, type RunningFlagger } from './support/flagger';
import { HEALTHY, startMeshExporter, type MeshExporter } from './support/mesh-exporter';
import { changedSteps, initDevStack, PulumiProject, succeeded } from './support/pulumi';
import { pushImages, runImages } from './support/images';

const STACK = 'canary';
const SERVICE = 'order-service';
/** The platform's name and so its namespace: apart from dev's `shop` (manifests.test.ts) and pulumi.test.ts's. */
const NAME = 'shop-canary';
const NAMESPACE = NAME;
/** Flagger's shortest interval (it raises anything under 10 s to 10 s), two steps, two failed checks. */
const DELIVERY = { interval: '10s', stepWeight: 25, maxWeight: 50, threshold: 2 } as const;

const { registry, images } = runImages();
let project: PulumiProject;
let exporter: MeshExporter | undefined;
let prometheus: RunningServer | undefined;
let flagger: RunningFlagger | undefined;

/** This stack's `overrides`, as `pulumi config set --path` leaves them (the Prometheus URL is known once it runs). */
const stackOverrides = (prometheusUrl: string): EnvironmentOverrides => ({
  name: NAME,
  observability: { prometheus: { url: prometheusUrl } },
  services: { [SERVICE]: { delivery: DELIVERY } },
});

/** Dev as this stack synthesizes it (for what the cluster must hold). */
const synthesized = () => synthesizePlatform('dev', { images: TEST_IMAGES, overrides: stackOverrides(prometheus!.url) });

const deploy = (args: readonly string[], what: string) => project.deploy([...args, '--stack', STACK]).then((result) => succeeded(result, what));

beforeAll(async () => {
  const { spec } = synthesizePlatform('dev', { images: TEST_IMAGES });
  const version = spec.services.find((s) => s.name === SERVICE)!.versions[0].name;
  exporter = await startMeshExporter({ [NAMESPACE]: { dataPlane: spec.mesh.dataPlane, version } });
  for (const role of ['primary', 'canary'] as const) exporter.setMeshTraffic({ namespace: NAMESPACE, service: SERVICE, role }, HEALTHY);
  prometheus = await startPrometheus(requireTool('prometheus'), {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    // honor_labels: the exporter writes the target labels (namespace, app, pod) a PodMonitor's scrape would add.
    scrape_configs: [{ job_name: 'mesh', honor_labels: true, static_configs: [{ targets: [exporter.target] }] }],
  }, {});
  project = new PulumiProject(randomBytes(16).toString('hex'));
  await initDevStack(project, STACK, { registry, images, postgresPassword: `e2e-postgres-${randomBytes(12).toString('hex')}` });
  // What a user types: one `pulumi config set --path` per field (integers are stored as numbers).
  const fields: [string, string][] = [
    ['overrides.name', NAME],
    ['overrides.observability.prometheus.url', prometheus.url],
    ...Object.entries(DELIVERY).map(([field, value]): [string, string] => [`overrides.services["${SERVICE}"].delivery.${field}`, String(value)]),
  ];
  for (const [path, value] of fields) succeeded(await project.pulumi(['config', 'set', '--path', path, value]), `pulumi config set ${path}`);
  const canary = (synthesized().objects as KubeObject[]).find((o) => o.kind === 'Canary')!;
  flagger = startFlagger(requireTool('flagger'), { namespace: NAMESPACE, metricsServer: prometheus.url, meshProvider: canary.spec.provider, port: await freePort() });
}, 900_000);

afterAll(async () => {
  // No `destroy` (pulumi.test.ts proves it; here it would only add a minute): the namespace goes, the rest with the cluster.
  await kubectl(['delete', 'namespace', '--wait=false', '--ignore-not-found', NAMESPACE]).catch(() => undefined);
  await flagger?.stop();
  await prometheus?.stop();
  await exporter?.close();
  project?.remove();
});

test('pulumi up applies dev with the stack\'s overrides: the templates ask the test\'s Prometheus, the analysis is 10 s', async () => {
  await deploy(['up', '--yes'], 'up');
  for (const template of synthesized().objects.filter((o) => o.kind === 'MetricTemplate') as KubeObject[]) {
    const live = await getJson(['get', 'metrictemplates.flagger.app', '-n', NAMESPACE, template.metadata.name]);
    expect(live.spec.provider.address).toBe(prometheus!.url);
  }
  const canary = await getJson(['get', 'canaries.flagger.app', '-n', NAMESPACE, SERVICE]);
  expect(canary.spec.analysis).toMatchObject(DELIVERY);
});

test('Flagger initializes the Canary (primary copy, target scaled to zero); a refreshed preview shows no changes', async () => {
  await withFlaggerLog(flagger, eventually(async () => {
    const status = await canaryStatus(NAMESPACE, SERVICE);
    if (status.phase !== 'Initialized') throw new Error(`the Canary was not Initialized within 180 s: ${JSON.stringify(status)}`);
  }, 180_000));
  // Flagger checked each template's provider (a `vector(1)` query to its address) when it initialized the Canary.
  expect(await canaryEvents(NAMESPACE, SERVICE, new Date(0))).toContain('all the metrics providers are available!');
  expect(await deploymentImage(NAMESPACE, primaryName(SERVICE))).toBe(images[SERVICE]);
  const target = await getJson(['get', 'deployment', '-n', NAMESPACE, SERVICE]);
  expect(target.spec.replicas).toBe(0);
  const preview = await deploy(['preview', '--refresh', '--expect-no-changes'], 'preview --refresh --expect-no-changes after the initialization');
  expect(changedSteps(preview.stdout)).toEqual([]);
});

describe('a release: a new image of order-service through stack config images and pulumi up', () => {
  let release: string;
  let run: CanaryRun;

  beforeAll(async () => {
    // A code change in the project's copy: a new bundle, so a new content-addressed tag the program accepts.
    appendFileSync(join(project.dir, 'services', SERVICE, 'src', 'main.ts'), `\nprocess.env.ORDER_SERVICE_E2E_RELEASE ??= '${randomBytes(4).toString('hex')}';\n`);
    release = (await pushImages(registry, project.dir, [SERVICE]))[SERVICE];
    succeeded(await project.pulumi(['config', 'set', '--path', `images["${SERVICE}"]`, release]), 'pulumi config set images.order-service');
    const up = await deploy(['up', '--yes'], 'up with the new image');
    // The release changes the target's pod template and nothing else.
    expect(changedSteps(up.stdout)).toEqual([`update kubernetes:apps/v1:Deployment ${NAMESPACE}/${SERVICE}`]);
    run = await withFlaggerLog(flagger, followCanary(NAMESPACE, SERVICE, 'gateway-api', 300));
  }, 900_000);

  test('is a new image, built from other code', () => {
    expect(release).not.toBe(images[SERVICE]);
    expect(release.split('@')[0]).not.toBe(images[SERVICE].split('@')[0]);
  });

  test('Flagger steps the canary 25, 50 against the test\'s Prometheus and promotes it: the primary runs the new image at 100%', async () => {
    expect(run.status.phase).toBe('Succeeded');
    expect(run.canarySteps).toEqual([0, 25, 50, 0]);
    expect(await routeWeights(NAMESPACE, SERVICE, 'gateway-api')).toEqual({ primary: 100, canary: 0 });
    expect(await deploymentImage(NAMESPACE, primaryName(SERVICE))).toBe(release);
  });

  test('after the promotion, a refreshed preview shows no changes: pulumi up does not fight Flagger', async () => {
    const target = await getJson(['get', 'deployment', '-n', NAMESPACE, SERVICE]);
    expect(target.spec.replicas).toBe(0); // Flagger's, left alone (ignoreChanges)
    const preview = await deploy(['preview', '--refresh', '--expect-no-changes'], 'preview --refresh --expect-no-changes after the promotion');
    expect(changedSteps(preview.stdout)).toEqual([]);
  });

  test('an up that changes nothing reports the Canary\'s phase and the new image in the stack outputs', async () => {
    await deploy(['up', '--yes', '--refresh', '--expect-no-changes'], 'up --refresh --expect-no-changes');
    const outputs = JSON.parse(succeeded(await project.pulumi(['stack', 'output', '--json']), 'stack output').stdout) as {
      canaries: Record<string, string>;
      images: Record<string, string>;
    };
    expect(outputs.canaries).toEqual({ [SERVICE]: 'Succeeded' });
    expect(outputs.images[SERVICE]).toBe(release);
  });
});
