/**
 * The Istio upgrade of docs/istio.md, CRDs first, as the e2e cluster's own installation: the global setup installs the
 * CRDs of the previous minor's release (ISTIO_UPGRADE_FROM's, from `istio.io/api`, as `kubectl apply -f
 * crd-all.gen.yaml` installs them), writes dev's Istio objects on them, then upgrades the CRDs to the installed
 * release's packaged `base` chart (./istio.ts). CRDs are cluster-wide: done while other files run, the downgrade
 * would change them under those files' feet, so it is done before any runs. What the setup saw before the upgrade is
 * passed on to test/e2e/istio-upgrade.test.ts, which checks the result.
 */
import { readFileSync } from 'node:fs';
import { istioApiCrdsFile } from '../../../src/deploy/istio-charts/package';
import { imageReferences } from '../../../src/images/index';
import { synthesizePlatform } from '../../../src/platform';
import { ISTIO_UPGRADE_FROM } from '../../../src/versions';
import { getJson, kubectl, kubectlResult, waitForCrds } from './cluster';

/** The namespace dev's Istio objects are written to on the old CRDs. */
export const UPGRADE_NAMESPACE = 'istio-upgrade';

/** An Istio object, as far as the checks read it. */
export interface IstioObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
}

/** What the setup saw on the old CRDs. */
export interface BeforeUpgrade {
  /** `app.kubernetes.io/version` of the VirtualService CRD once the old CRDs were applied. */
  readonly crdVersion: string | undefined;
  /** How writing {@link upgradeObjects} on the old CRDs went. */
  readonly write: { readonly code: number; readonly stderr: string };
}

const ENV = 'MESH_E2E_ISTIO_UPGRADE';

/** dev's Istio objects, moved to {@link UPGRADE_NAMESPACE}. */
export function upgradeObjects(): IstioObject[] {
  return (synthesizePlatform('dev', { images: imageReferences }).objects as unknown as IstioObject[])
    .filter((object) => object.apiVersion.includes('istio.io/'))
    .map((object) => ({ ...object, metadata: { ...object.metadata, namespace: UPGRADE_NAMESPACE } }));
}

export const list = (items: readonly object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

/**
 * Applies CRDs (a rendered `base` chart, or a release's CRD file) with the setup's field manager, so that server-side
 * apply also removes what the other release had and this one lacks (a true downgrade, then upgrade), and waits for them.
 */
export async function applyCrds(manifests: string): Promise<void> {
  await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=mesh-platform-e2e', '-f', '-'], manifests);
  await waitForCrds();
}

/** The Istio release the VirtualService CRD is labelled with. */
export const crdVersion = async () =>
  (await getJson(['get', 'crd', 'virtualservices.networking.istio.io'])).metadata.labels?.['app.kubernetes.io/version'] as string | undefined;

/** The setup's first step: the old release's CRDs, dev's Istio objects written on them; the upgrade follows (./istio.ts). */
export async function writeOnPreviousCrds(): Promise<void> {
  await applyCrds(readFileSync(istioApiCrdsFile(ISTIO_UPGRADE_FROM.api), 'utf8'));
  const version = await crdVersion();
  await kubectl(['create', 'namespace', UPGRADE_NAMESPACE]);
  const { code, stderr } = await kubectlResult(['apply', '--server-side', '--field-manager=mesh-platform-e2e', '-f', '-'], list(upgradeObjects()));
  const before: BeforeUpgrade = { crdVersion: version, write: { code, stderr } };
  process.env[ENV] = JSON.stringify(before);
}

/** What {@link writeOnPreviousCrds} saw. */
export function beforeUpgrade(): BeforeUpgrade {
  const value = process.env[ENV];
  if (!value) throw new Error(`${ENV} is not set: run the e2e tests with \`npm run test:e2e\` (its global setup upgrades the CRDs)`);
  return JSON.parse(value) as BeforeUpgrade;
}
