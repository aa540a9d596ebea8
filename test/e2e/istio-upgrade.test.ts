/**
 * The Istio upgrade of docs/istio.md, as far as a cluster without running pods allows: CRDs first. The platform's
 * Istio objects are applied on the CRDs of the previous minor's release (ISTIO_UPGRADE_FROM's, from `istio.io/api`, as
 * `kubectl apply -f crd-all.gen.yaml` installs them), then the CRDs are upgraded to the installed release's packaged `base` chart: the stored objects stay readable at the version the
 * platform writes, and the same objects are accepted again on the new CRDs. istiod, the CNI and the gateway cannot
 * run here (no pods run), so their upgrade is not exercised.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { istioApiCrdsFile, packageIstioCharts } from '../../src/deploy/istio-charts/package';
import { packagedChartFile } from '../../src/deploy/istio-charts/source';
import { imageReferences } from '../../src/images/index';
import { synthesizePlatform } from '../../src/platform';
import { ISTIO, ISTIO_UPGRADE_FROM } from '../../src/versions';
import { getJson, kubectl, kubectlResult, toolchainBin } from './support/cluster';
import { helmTemplate } from './support/istio';

const NAMESPACE = 'istio-upgrade';
const list = (items: readonly object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

interface IstioObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
}

/** dev's Istio objects, moved to this test's namespace. */
const istioObjects: IstioObject[] = (synthesizePlatform('dev', { images: imageReferences }).objects as unknown as IstioObject[])
  .filter((object) => object.apiVersion.includes('istio.io/'))
  .map((object) => ({ ...object, metadata: { ...object.metadata, namespace: NAMESPACE } }));

/**
 * Applies CRDs (a rendered `base` chart, or a release's CRD file) with the global setup's field manager, so that server-side apply also removes what
 * the other release had and this one lacks (a true downgrade, then upgrade), and waits for the CRDs.
 */
async function applyCrds(manifests: string): Promise<void> {
  await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=mesh-platform-e2e', '-f', '-'], manifests);
  await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);
}

const crdVersion = async () =>
  (await getJson(['get', 'crd', 'virtualservices.networking.istio.io'])).metadata.labels?.['app.kubernetes.io/version'] as string | undefined;

let packaged: string;
beforeAll(async () => {
  packaged = mkdtempSync(join(tmpdir(), 'istio-upgrade-'));
  packageIstioCharts({ out: packaged, helm: join(toolchainBin(), 'helm') });
  await kubectl(['create', 'namespace', NAMESPACE]);
});

afterAll(async () => {
  await kubectl(['delete', 'namespace', NAMESPACE, '--wait=false']).catch(() => undefined);
  rmSync(packaged, { recursive: true, force: true });
});

test(`objects written on Istio ${ISTIO_UPGRADE_FROM.version}'s CRDs survive the CRD upgrade to ${ISTIO.version}`, async () => {
  await applyCrds(readFileSync(istioApiCrdsFile(ISTIO_UPGRADE_FROM.api), 'utf8'));
  expect(await crdVersion()).not.toBe(ISTIO.version);
  await kubectl(['apply', '--server-side', '--field-manager=mesh-platform-e2e', '-f', '-'], list(istioObjects));

  // CRDs first: the installed release's base chart, as the program's istio-base release applies it.
  await applyCrds(await helmTemplate('istio-base', join(packaged, packagedChartFile('base')), 'istio-system', { defaultRevision: 'default' }));
  expect(await crdVersion()).toBe(ISTIO.version);

  const stored = await getJson(['get', 'virtualservices.networking.istio.io,destinationrules.networking.istio.io,authorizationpolicies.security.istio.io', '-n', NAMESPACE]);
  const expectedNames = istioObjects
    .filter((o) => ['VirtualService', 'DestinationRule', 'AuthorizationPolicy'].includes(o.kind))
    .map((o) => `${o.kind}/${o.metadata.name}`)
    .sort();
  expect(stored.items.map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(expectedNames);
  const again = await kubectlResult(['apply', '--server-side', '--dry-run=server', '--field-manager=mesh-platform-e2e', '-f', '-'], list(istioObjects));
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
});
