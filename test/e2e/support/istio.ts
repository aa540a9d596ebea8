/**
 * Istio's CRDs on the e2e cluster: the `base` chart of the Istio release the platform installs (src/versions.ts),
 * packaged by `npm run -s istio:charts`'s code and rendered by the toolchain's helm with the values the program gives it;
 * and the Gateway API's CRDs from the file the program installs them from (imports/crds/), in the channel the shipped
 * environments need: the experimental one (a superset of the standard one) when any of them sets
 * `mesh.gatewayApiChannel: 'experimental'`, as dev does. A cluster has one channel, and its bundle's admission policy
 * denies replacing standard CRDs by experimental ones, so the channel is chosen once, here.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageIstioCharts } from '../../../src/deploy/istio-charts/package';
import { packagedChartFile } from '../../../src/deploy/istio-charts/source';
import { gatewayApiCrdsFile } from '../../../src/deploy/gateway-api-crds';
import { MONITORING_CRD_FILES } from '../../../src/deploy/monitoring-crds';
import { DELIVERY_CRD_FILES } from '../../../src/deploy/delivery-crds';
import { loadPlatformSpec } from '../../../src/platform';
import type { GatewayApiChannel } from '../../../src/description/modes';
import { ENVIRONMENTS } from '../../../src/description/types';
import { TEST_IMAGES } from '../../support/platform';
import { kubectl, toolchainBin, waitForCrds } from './cluster';
import { applyCrds, writeOnPreviousCrds } from './istio-upgrade';

const run = promisify(execFile);

/** `helm template` of one chart with `values`, as YAML. */
export async function helmTemplate(release: string, chart: string, namespace: string, values: object = {}): Promise<string> {
  const child = run(join(toolchainBin(), 'helm'), ['template', release, chart, '--namespace', namespace, '--values', '-'], { maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin?.end(JSON.stringify(values));
  return (await child).stdout;
}

/** The Gateway API channel of the e2e cluster: experimental when a shipped environment needs it. */
export function clusterGatewayApiChannel(): GatewayApiChannel {
  const channels = ENVIRONMENTS.map((environment) => loadPlatformSpec(environment, { images: TEST_IMAGES }).mesh.gatewayApiChannel);
  return channels.includes('experimental') ? 'experimental' : 'standard';
}

/** The CRD bundle of {@link clusterGatewayApiChannel}. */
export const CLUSTER_GATEWAY_API_CRDS_FILE = gatewayApiCrdsFile(clusterGatewayApiChannel());

/**
 * Packages the charts, renders `base` (CRDs, cluster roles) and applies it as an upgrade from the previous minor's CRDs
 * (./istio-upgrade.ts), then the Gateway API, monitoring and Flagger CRDs server-side, and waits for every CRD.
 */
export async function installIstioCrds(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'istio-charts-'));
  try {
    packageIstioCharts({ out, helm: join(toolchainBin(), 'helm') });
    const manifests = await helmTemplate('istio-base', join(out, packagedChartFile('base')), 'istio-system', { defaultRevision: 'default' });
    await kubectl(['create', 'namespace', 'istio-system']);
    await writeOnPreviousCrds();
    // CRDs first: the installed release's base chart, as the program's istio-base release applies it.
    await applyCrds(manifests);
    await kubectl(['apply', '--server-side', '--field-manager=mesh-platform-e2e', '-f', '-'], readFileSync(CLUSTER_GATEWAY_API_CRDS_FILE, 'utf8'));
    // The monitoring objects' CRDs (PodMonitor, PrometheusRule, AlertmanagerConfig, ScaledObject) and Flagger's (Canary,
    // MetricTemplate, AlertProvider), as the program installs them.
    for (const file of [...MONITORING_CRD_FILES, ...DELIVERY_CRD_FILES]) {
      await kubectl(['apply', '--server-side', '--field-manager=mesh-platform-e2e', '-f', '-'], readFileSync(file, 'utf8'));
    }
    await waitForCrds();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
