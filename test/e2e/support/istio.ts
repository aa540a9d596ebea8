/** Istio's CRDs on the e2e cluster, from the `base` chart of the Istio release the platform installs (src/versions.ts). */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { downloadModule } from '../../../src/toolchain/go';
import { ISTIO } from '../../../src/versions';
import { kubectl, toolchainBin } from './cluster';

const run = promisify(execFile);

/** The `manifests/charts` directory of the istio.io/istio module at the installed release. */
export function istioChartsSource(): string {
  return join(downloadModule(ISTIO.goModule, ISTIO.goVersion).Dir, 'manifests', 'charts');
}

/** `helm template` of one chart directory with `values`, as YAML. */
export async function helmTemplate(release: string, chart: string, namespace: string, values: object = {}): Promise<string> {
  const args = ['template', release, chart, '--namespace', namespace, '--values', '-'];
  const child = run(join(toolchainBin(), 'helm'), args, { maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin?.end(JSON.stringify(values));
  return (await child).stdout;
}

/** Renders the `base` chart (CRDs, cluster roles) and applies it server-side, then waits until every CRD is Established. */
export async function installIstioCrds(): Promise<void> {
  const manifests = await helmTemplate('istio-base', join(istioChartsSource(), 'base'), 'istio-system', { defaultRevision: 'default' });
  await kubectl(['create', 'namespace', 'istio-system']).catch(() => undefined);
  await kubectl(['apply', '--server-side', '--field-manager=mesh-platform-e2e', '-f', '-'], manifests);
  await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);
}
