import { Testing } from 'cdk8s';
import { addPlatformChart, loadPlatformSpec } from '../../src/platform';
import { ENVIRONMENTS } from '../../src/spec';
import { TEST_IMAGES } from '../support/platform';

describe.each(ENVIRONMENTS)('%s environment', (environment) => {
  test('synthesized output matches the reviewed snapshot', () => {
    const spec = loadPlatformSpec(environment, { images: TEST_IMAGES });
    expect(Testing.synth(addPlatformChart(Testing.app(), spec))).toMatchSnapshot();
  });
});
