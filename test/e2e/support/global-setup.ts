/**
 * Global setup of `npm run test:e2e`: the toolchain (built when missing, else cached); a registry on loopback with the
 * services' images built and pushed to it in the background (./images.ts: only the Pulumi files wait for them); and a
 * fresh kwokctl cluster with admission and authorization on and Istio's CRDs (upgraded from the previous minor's:
 * ./istio-upgrade.ts) from the `base` chart of the Istio release the platform installs. Tests get the bin directory,
 * kubeconfig and images through the environment (see ./cluster.ts, ./images.ts); the teardown stops the registry and
 * the cluster.
 */
import { CLUSTER_TOOLS, clusterUp } from '../../../src/cluster/kwok';
import { ensureToolchain } from '../../../src/toolchain/index';
import { E2E_CLUSTER } from './names';
import { installIstioCrds } from './istio';
import { startRunImages } from './images';
import { RUN_IMAGES, stopRunImages } from './global-teardown';
import { provideVolumes } from './volumes';

export default async function globalSetup(): Promise<void> {
  const log = (message: string) => process.stderr.write(`e2e: ${message}\n`);
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  // The cluster's tools and helm (Istio's CRDs below) must be there; a test that needs another tool that could not be
  // built (istioctl, pulumi) fails by name through requireTool, and the others still run.
  const { bin, unavailable } = await ensureToolchain({ progress: (message) => log(`toolchain: ${message}`), required: [...CLUSTER_TOOLS, 'helm'] });
  for (const reason of Object.values(unavailable)) log(`toolchain: unavailable: ${reason}`);
  log(`toolchain ready in ${seconds()} s: ${bin}`);
  process.env.MESH_E2E_BIN = bin;

  const images = await startRunImages();
  (globalThis as Record<symbol, unknown>)[RUN_IMAGES] = images;
  void images.pushed.then(() => log(`images pushed (or failed) ${seconds()} s after the start, to ${images.registry.host}`));
  try {
    const kubeconfig = await clusterUp({ bin, name: E2E_CLUSTER, progress: (message) => log(`cluster: ${message}`) });
    process.env.MESH_E2E_KUBECONFIG = kubeconfig;
    log('installing Istio CRDs');
    await installIstioCrds();
    // One per claim of the in-cluster database the tests create: the manifests applied, and the Pulumi stacks.
    await provideVolumes(7);
    log(`cluster ready in ${seconds()} s: ${kubeconfig}`);
  } catch (error) {
    await stopRunImages(); // jest runs no teardown after a failed setup: no registry is left behind
    throw error;
  }
}
