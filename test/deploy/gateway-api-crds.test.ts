/** The Gateway API CRD bundles the program installs: one per channel, the experimental one a superset of the standard one. */
import { gatewayApiCrdObjects, gatewayApiCrdsFile } from '../../src/deploy/gateway-api-crds';
import { GATEWAY_API } from '../../src/versions';

type Crd = { kind: string; metadata: { name: string; annotations: Record<string, string> }; spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] } };
const crds = (channel: 'standard' | 'experimental') =>
  (gatewayApiCrdObjects(gatewayApiCrdsFile(channel)) as unknown as Crd[]).filter((object) => object.kind === 'CustomResourceDefinition');

/** The `retry` schema of HTTPRoute v1's rules, or undefined. */
function retrySchema(channel: 'standard' | 'experimental'): unknown {
  const httpRoute = crds(channel).find((crd) => crd.metadata.name === 'httproutes.gateway.networking.k8s.io')!;
  const schema = httpRoute.spec.versions.find((version) => version.name === 'v1')!.schema.openAPIV3Schema as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  return schema.properties.spec.properties.rules.items.properties.retry;
}

test.each(['standard', 'experimental'] as const)('the %s bundle is of its channel and of the release Istio requires', (channel) => {
  expect(gatewayApiCrdsFile(channel)).toMatch(new RegExp(`imports/crds/gateway-api-${GATEWAY_API.version}-${channel}\\.yaml$`));
  for (const crd of crds(channel)) {
    expect(crd.metadata.annotations).toMatchObject({ 'gateway.networking.k8s.io/channel': channel, 'gateway.networking.k8s.io/bundle-version': GATEWAY_API.version });
  }
});

test('the experimental bundle has every standard CRD, and HTTPRoute retry only there (attempts of at least 1)', () => {
  const names = (channel: 'standard' | 'experimental') => crds(channel).map((crd) => crd.metadata.name);
  expect(names('experimental')).toEqual(expect.arrayContaining(names('standard')));
  expect(retrySchema('standard')).toBeUndefined();
  expect(retrySchema('experimental')).toMatchObject({ properties: { attempts: { minimum: 1 }, codes: { items: { minimum: 400, maximum: 599 } } } });
});

test('both bundles carry the upstream policy that denies replacing standard CRDs by experimental ones', () => {
  for (const channel of ['standard', 'experimental'] as const) {
    const policy = gatewayApiCrdObjects(gatewayApiCrdsFile(channel)).find((object) => object.kind === 'ValidatingAdmissionPolicy') as unknown as { spec: { validations: { message: string }[] } };
    expect(policy.spec.validations.map((v) => v.message)).toContainEqual(expect.stringContaining('Installing experimental CRDs on top of standard channel CRDs is prohibited'));
  }
});
