/**
 * Istio's CRDs on the e2e cluster: the `base` chart of the Istio release the platform installs (src/versions.ts),
 * packaged by `npm run -s istio:charts`'s code and rendered by the toolchain's helm with the values the program gives it;
 * and the Gateway API's standard-channel CRDs from the file the program installs them from (imports/crds/).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageIstioCharts } from '../../../src/deploy/istio-charts/package';
import { packagedChartFile } from '../../../src/deploy/istio-charts/source';
import { GATEWAY_API_CRDS_FILE } from '../../../src/deploy/gateway-api-crds';
import { kubectl, toolchainBin } from './cluster';

const run = promisify(execFile);

/** `helm template` of one chart with `values`, as YAML. */
export async function helmTemplate(release: string, chart: string, namespace: string, values: object = {}): Promise<string> {
  const child = run(join(toolchainBin(), 'helm'), ['template', release, chart, '--namespace', namespace, '--values', '-'], { maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin?.end(JSON.stringify(values));
  return (await child).stdout;
}

/** Packages the charts, renders `base` (CRDs, cluster roles), applies it and the Gateway API CRDs server-side, waits for every CRD. */
export async function installIstioCrds(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'istio-charts-'));
  try {
    packageIstioCharts({ out, helm: join(toolchainBin(), 'helm') });
    const manifests = await helmTemplate('istio-base', join(out, packagedChartFile('base')), 'istio-system', { defaultRevision: 'default' });
    await kubectl(['create', 'namespace', 'istio-system']);
    await kubectl(['apply', '--server-side', '--field-manager=mesh-platform-e2e', '-f', '-'], manifests);
    await kubectl(['apply', '--server-side', '--field-manager=mesh-platform-e2e', '-f', '-'], readFileSync(GATEWAY_API_CRDS_FILE, 'utf8'));
    await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
