/**
 * Snapshot tests of one environment's synthesized output, one snapshot entry per object (`Deployment shop/order-service-v1`)
 * plus the apply order, so that a change to one service is a diff of that service's entries only. The objects come
 * from the description with pinned image references (TEST_IMAGES). Rewrite and list changes with `npm run test:update`.
 */
import { Testing } from 'cdk8s';
import { addPlatformChart, loadPlatformSpec } from '../../../src/platform';
import type { EnvironmentName } from '../../../src/spec';
import { TEST_IMAGES, type KubeObject } from '../../support/platform';

/** `Kind namespace/name`, unique per environment (an invariant test checks it). */
const objectKey = (object: KubeObject) => `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;

/** Declares the snapshot tests of `environment`. */
export function describeEnvironmentSnapshot(environment: EnvironmentName): void {
  const spec = loadPlatformSpec(environment, { images: TEST_IMAGES });
  const objects: KubeObject[] = Testing.synth(addPlatformChart(Testing.app(), spec));

  describe(`${environment} output`, () => {
    test('objects, in apply order', () => {
      expect(objects.map(objectKey)).toMatchSnapshot();
    });

    test.each(objects.map((object) => [objectKey(object), object] as const))('%s', (_, object) => {
      expect(object).toMatchSnapshot();
    });
  });
}
