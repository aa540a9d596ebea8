/**
 * Global setup of `npm run test:e2e`: the toolchain (built when missing, else cached), a fresh kwokctl cluster with
 * admission and authorization on, and Istio's CRDs from the `base` chart of the Istio release the platform installs.
 * Tests get the bin directory and kubeconfig through the environment (see ./cluster.ts).
 */
import { CLUSTER_TOOLS, clusterUp } from '../../../src/cluster/kwok';
import { ensureToolchain } from '../../../src/toolchain/index';
import { E2E_CLUSTER } from './names';
import { installIstioCrds } from './istio';
import { provideVolumes } from './volumes';

export default async function globalSetup(): Promise<void> {
  const log = (message: string) => process.stderr.write(`e2e: ${message}\n`);
  const started = Date.now();
  // The cluster's tools and helm (Istio's CRDs below) must be there; a test that needs another tool that could not be
  // built (istioctl, pulumi) fails by name through requireTool, and the others still run.
  const { bin, unavailable } = await ensureToolchain({ progress: (message) => log(`toolchain: ${message}`), required: [...CLUSTER_TOOLS, 'helm'] });
  for (const reason of Object.values(unavailable)) log(`toolchain: unavailable: ${reason}`);
  log(`toolchain ready in ${Math.round((Date.now() - started) / 1000)} s: ${bin}`);
  const kubeconfig = await clusterUp({ bin, name: E2E_CLUSTER, progress: (message) => log(`cluster: ${message}`) });
  process.env.MESH_E2E_BIN = bin;
  process.env.MESH_E2E_KUBECONFIG = kubeconfig;
  log('installing Istio CRDs');
  await installIstioCrds();
  // One per claim of the in-cluster database the tests create: the manifests applied, and the Pulumi stacks.
  await provideVolumes(7);
  log(`cluster ready in ${Math.round((Date.now() - started) / 1000)} s: ${kubeconfig}`);
}
