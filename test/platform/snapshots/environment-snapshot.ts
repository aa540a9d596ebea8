/**
 * Snapshot tests of one environment's synthesized output, one snapshot entry per object (`Deployment shop/order-service-v1`)
 * plus the apply order, so that a change to one service is a diff of that service's entries only. The objects come
 * from the description with pinned image references (TEST_IMAGES). Rewrite and list changes with `npm run test:update`.
 */
import { createHash } from 'node:crypto';
import { Testing } from 'cdk8s';
import { platformDashboards } from '../../../src/observability/dashboards/dashboards';
import { dashboardConfigMapName } from '../../../src/description/names/observability';
import { addPlatformChart, loadPlatformSpec } from '../../../src/platform';
import type { EnvironmentName, EnvironmentOverrides } from '../../../src/description';
import { TEST_IMAGES, type KubeObject } from '../../support/platform';

/** `Kind namespace/name`, unique per environment (an invariant test checks it). */
const objectKey = (object: KubeObject) => `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;

/**
 * A dashboard ConfigMap with its JSON replaced by a digest: the dashboards' panels and queries have a snapshot of
 * their own (test/observability/dashboard-summary.test.ts), a few hundred readable lines instead of thousands here.
 */
function withDashboardDigests(object: KubeObject, dashboardConfigMaps: ReadonlySet<string>): KubeObject {
  if (object.kind !== 'ConfigMap' || !dashboardConfigMaps.has(object.metadata.name)) return object;
  const digest = (json: string) => `dashboard JSON, sha256 ${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
  return { ...object, data: Object.fromEntries(Object.entries(object.data as Record<string, string>).map(([key, json]) => [key, digest(json)])) };
}

/**
 * Declares the snapshot tests of `environment`; with `variant`, of that environment under extra overrides (a mesh mode
 * no shipped environment uses), named `<environment> (<variant.name>)`.
 */
export function describeEnvironmentSnapshot(environment: EnvironmentName, variant?: { name: string; overrides: EnvironmentOverrides }): void {
  const spec = loadPlatformSpec(environment, { images: TEST_IMAGES, overrides: variant?.overrides });
  const dashboardConfigMaps = new Set(platformDashboards(spec).map(({ uid }) => dashboardConfigMapName(uid)));
  const objects: KubeObject[] = Testing.synth(addPlatformChart(Testing.app(), spec)).map((object) => withDashboardDigests(object, dashboardConfigMaps));

  describe(`${environment}${variant ? ` (${variant.name})` : ''} output`, () => {
    test('objects, in apply order', () => {
      expect(objects.map(objectKey)).toMatchSnapshot();
    });

    test.each(objects.map((object) => [objectKey(object), object] as const))('%s', (_, object) => {
      expect(object).toMatchSnapshot();
    });
  });
}
