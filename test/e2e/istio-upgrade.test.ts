/**
 * The Istio upgrade of docs/istio.md, as far as a cluster without running pods allows: CRDs first. The global setup
 * installed the CRDs of the previous minor's release (ISTIO_UPGRADE_FROM's, from `istio.io/api`, as `kubectl apply -f
 * crd-all.gen.yaml` installs them), wrote the platform's Istio objects on them, then upgraded the CRDs to the installed
 * release's packaged `base` chart (./support/istio-upgrade.ts: the CRDs are cluster-wide, so this happens before the
 * files run side by side). Here: the old CRDs were another release's and took the objects, the stored objects stay
 * readable at the version the platform writes, and the same objects are accepted again on the new CRDs. istiod, the
 * CNI and the gateway cannot run here (no pods run), so their upgrade is not exercised.
 */
import { ISTIO, ISTIO_UPGRADE_FROM } from '../../src/versions';
import { getJson, kubectlResult } from './support/cluster';
import { beforeUpgrade, crdVersion, list, UPGRADE_NAMESPACE, upgradeObjects } from './support/istio-upgrade';

afterAll(async () => {
  await kubectlResult(['delete', 'namespace', UPGRADE_NAMESPACE, '--wait=false']);
});

test(`objects written on Istio ${ISTIO_UPGRADE_FROM.version}'s CRDs survive the CRD upgrade to ${ISTIO.version}`, async () => {
  const before = beforeUpgrade();
  expect(before.crdVersion).not.toBe(ISTIO.version);
  expect(before.write).toMatchObject({ code: 0 }); // stderr shown when it failed
  expect(await crdVersion()).toBe(ISTIO.version);

  const istioObjects = upgradeObjects();
  const stored = await getJson(['get', 'virtualservices.networking.istio.io,destinationrules.networking.istio.io,authorizationpolicies.security.istio.io', '-n', UPGRADE_NAMESPACE]);
  const expectedNames = istioObjects
    .filter((o) => ['VirtualService', 'DestinationRule', 'AuthorizationPolicy'].includes(o.kind))
    .map((o) => `${o.kind}/${o.metadata.name}`)
    .sort();
  expect(stored.items.map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(expectedNames);
  const again = await kubectlResult(['apply', '--server-side', '--dry-run=server', '--field-manager=mesh-platform-e2e', '-f', '-'], list(istioObjects));
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
});
