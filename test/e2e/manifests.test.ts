/**
 * The synthesized manifests against a real API server (kwokctl: etcd, kube-apiserver with admission, controller
 * manager, scheduler; fake nodes): every environment, and every mode combination no shipped environment uses (prod on
 * ambient with its NetworkPolicies, say), is accepted by a server-side dry run with no error and no Pod Security warning; `dev` applied for real becomes Available, its Services get endpoints, its HPAs and PDBs find their
 * targets, its progressive order-service's Canary finds its Deployment, autoscaler and MetricTemplates, and the
 * namespace's `restricted` enforcement rejects a privileged pod.
 */
import { imageReferences } from '../../src/images/index';
import { synthesizePlatform } from '../../src/platform';
import { ENVIRONMENTS, postgresServerName } from '../../src/description';
import { MODE_VARIANTS } from '../support/platform';
import { getJson, kubectl, kubectlResult } from './support/cluster';
import { eventually } from './support/eventually';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const platforms = Object.fromEntries(ENVIRONMENTS.map((env) => [env, synthesizePlatform(env, { images: imageReferences })]));
/** The mode combinations of the invariant and snapshot tests that no shipped environment uses. */
const variants = Object.fromEntries(Object.entries(MODE_VARIANTS)
  .filter(([name]) => !(ENVIRONMENTS as readonly string[]).includes(name))
  .map(([name, { environment, overrides }]) => [name, synthesizePlatform(environment, { images: imageReferences, overrides })]));
const list = (objects: readonly object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
const FIELD_MANAGER = '--field-manager=mesh-platform-e2e';
const namespace = platforms.dev.spec.namespace;

beforeAll(async () => {
  // A dry run does not create the namespace its objects go to: create it for real first (with dev's labels).
  const namespaces = platforms.dev.objects.filter((object) => object.kind === 'Namespace');
  await kubectl(['apply', '--server-side', FIELD_MANAGER, '-f', '-'], list(namespaces));
});

describe.each(Object.entries({ ...platforms, ...variants }))('%s', (_, { objects }) => {
  test('a server-side dry run accepts every object, with no warning (Pod Security included)', async () => {
    const result = await kubectlResult(['apply', '--server-side', '--dry-run=server', FIELD_MANAGER, '-f', '-'], list(objects));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // One line per object: "<kind>.<group>/<name> serverside-applied (server dry run)".
    expect(result.stdout.trim().split('\n')).toHaveLength(objects.length);
  });
});

describe('dev, applied for real', () => {
  const objects = platforms.dev.objects as Json[];
  const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);

  beforeAll(async () => {
    const result = await kubectlResult(['apply', '--server-side', FIELD_MANAGER, '-f', '-'], list(objects));
    if (result.code !== 0 || result.stderr !== '') throw new Error(`apply of dev failed:\n${result.stderr}`);
  });

  test('every Deployment becomes Available', async () => {
    const deployments = ofKind('Deployment').map((d) => `deployment/${d.metadata.name}`);
    expect(deployments.length).toBeGreaterThan(0);
    await kubectl(['wait', '-n', namespace, '--for=condition=Available', '--timeout=180s', ...deployments]);
  });

  test('the in-cluster database\'s StatefulSet becomes ready, its claim bound to a volume', async () => {
    const statefulSets = ofKind('StatefulSet');
    expect(statefulSets.map((s) => s.metadata.name)).toEqual([postgresServerName(platforms.dev.spec.name)]);
    for (const statefulSet of statefulSets) {
      await kubectl(['rollout', 'status', '-n', namespace, `statefulset/${statefulSet.metadata.name}`, '--timeout=180s']);
      const claim = await getJson(['get', 'pvc', '-n', namespace, `data-${statefulSet.metadata.name}-0`]);
      expect(claim.status.phase).toBe('Bound');
    }
  });

  test("every Service gets ready endpoints from each of its versions' pods", async () => {
    for (const service of ofKind('Service')) {
      const name = service.metadata.name as string;
      const pods = await getJson(['get', 'pods', '-n', namespace, '-l', selector(service.spec.selector)]);
      const slices = await eventually(async () => {
        const found = await getJson(['get', 'endpointslices', '-n', namespace, '-l', `kubernetes.io/service-name=${name}`]);
        const ready = found.items.flatMap((slice: Json) => slice.endpoints ?? []).filter((e: Json) => e.conditions?.ready);
        if (ready.length < pods.items.length) throw new Error(`${name}: ${ready.length} of ${pods.items.length} endpoints ready`);
        return found;
      });
      const targets = new Set(slices.items.flatMap((slice: Json) => (slice.endpoints ?? []).map((e: Json) => e.targetRef?.name)));
      expect(targets).toEqual(new Set(pods.items.map((pod: Json) => pod.metadata.name)));
      // Each version contributes pods (a per-version Service of the Gateway API routes, or the in-cluster database: exactly its own).
      const versions = new Set(pods.items.map((pod: Json) => pod.metadata.labels.version));
      expect(versions.size).toBe(platforms.dev.spec.services.find((s) => s.name === name)?.versions.length ?? 1);
    }
  });

  test('every HPA finds its Deployment and reports its replicas', async () => {
    for (const hpa of ofKind('HorizontalPodAutoscaler')) {
      const status = await eventually(async () => {
        const { status } = await getJson(['get', 'hpa', '-n', namespace, hpa.metadata.name]);
        const ableToScale = status?.conditions?.find((c: Json) => c.type === 'AbleToScale');
        if (ableToScale?.status !== 'True' || !(status.currentReplicas >= hpa.spec.minReplicas)) {
          throw new Error(`hpa ${hpa.metadata.name}: ${JSON.stringify(status)}`);
        }
        return status;
      });
      expect(status.currentReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    }
  });

  test('every PodDisruptionBudget covers its pods and allows one disruption when they are healthy', async () => {
    for (const pdb of ofKind('PodDisruptionBudget')) {
      const pods = await getJson(['get', 'pods', '-n', namespace, '-l', selector(pdb.spec.selector.matchLabels)]);
      const status = await eventually(async () => {
        const { status } = await getJson(['get', 'pdb', '-n', namespace, pdb.metadata.name]);
        if (status?.expectedPods !== pods.items.length || status.currentHealthy !== pods.items.length) {
          throw new Error(`pdb ${pdb.metadata.name}: ${JSON.stringify(status)}`);
        }
        return status;
      });
      expect(status.disruptionsAllowed).toBe(1);
    }
  });

  test('every Canary (dev\'s progressive order-service) finds its Deployment, its autoscaler and its MetricTemplates in the cluster', async () => {
    const canaries = ofKind('Canary');
    expect(canaries.map((c) => c.metadata.name)).toEqual(platforms.dev.spec.services.filter((s) => s.delivery.mode === 'progressive').map((s) => s.name));
    for (const canary of canaries) {
      const stored = await getJson(['get', 'canaries.flagger.app', '-n', namespace, canary.metadata.name]);
      expect(stored.spec.targetRef.name).toBe(canary.spec.targetRef.name);
      await getJson(['get', 'deployment', '-n', namespace, canary.spec.targetRef.name]);
      const scaler = canary.spec.autoscalerRef;
      await getJson(['get', scaler.kind === 'ScaledObject' ? 'scaledobjects.keda.sh' : 'hpa', '-n', namespace, scaler.name]);
      for (const metric of canary.spec.analysis.metrics as Json[]) {
        await getJson(['get', 'metrictemplates.flagger.app', '-n', metric.templateRef.namespace, metric.templateRef.name]);
      }
    }
  });

  test('the namespace enforces Pod Security "restricted": a privileged pod is rejected by admission', async () => {
    const ns = await getJson(['get', 'namespace', namespace]);
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const privileged = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'privileged-probe', namespace },
      spec: { containers: [{ name: 'c', image: 'registry.example.com/any:1', securityContext: { privileged: true } }] },
    };
    const result = await kubectlResult(['apply', '--server-side', FIELD_MANAGER, '-f', '-'], JSON.stringify(privileged));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('violates PodSecurity "restricted');
  });
});

/** A label selector in kubectl's `-l` form. */
function selector(labels: Record<string, string>): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(',');
}
