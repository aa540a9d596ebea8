/** Strict mode (istioctl analyze's stances) on the platform's own output: what istioctl accepts, strict accepts too. */
import { imageReferences } from '../../src/images/index';
import { synthesizePlatform } from '../../src/platform';
import { ENVIRONMENTS } from '../../src/description';
import { formatFinding, type KubeObject, validateObjects } from '../../src/validation';

describe.each(ENVIRONMENTS)('%s in strict mode', (env) => {
  const objects = synthesizePlatform(env, { images: imageReferences }).objects as KubeObject[];

  it('has no error: istio-system objects are checked, against the default ingress gateway istioctl assumes', () => {
    expect(validateObjects(objects, { strict: true }).filter((f) => f.severity === 'error').map(formatFinding)).toEqual([]);
  });

  it('still fails a policy in istio-system that selects no gateway', () => {
    const stray: KubeObject = {
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'stray', namespace: 'istio-system' },
      spec: { selector: { matchLabels: { istio: 'egressgateway' } }, action: 'DENY', rules: [{}] },
    };
    expect(validateObjects([...objects, stray], { strict: true }).filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.name}`))
      .toEqual(['ref-policy-selector stray']);
    expect(validateObjects([...objects, stray]).filter((f) => f.name === 'stray')).toEqual([]);
  });
});
