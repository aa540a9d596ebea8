import { Testing } from 'cdk8s';
import { addPlatformChart, loadPlatformSpec } from '../../src/platform';
import { ENVIRONMENTS } from '../../src/spec';
import { MODE_VARIANTS, TEST_IMAGES } from '../support/platform';

// One snapshot per mode: dev is ambient with the Gateway API, staging and prod are sidecars with Istio routing, and
// prod with the Gateway API on sidecars stands for the mode no environment ships.
describe.each([...ENVIRONMENTS, 'prod (sidecar, gateway-api)'])('%s environment', (variant) => {
  test('synthesized output matches the reviewed snapshot', () => {
    const { environment, overrides } = MODE_VARIANTS[variant];
    const spec = loadPlatformSpec(environment, { images: TEST_IMAGES, overrides });
    expect(Testing.synth(addPlatformChart(Testing.app(), spec))).toMatchSnapshot();
  });
});
