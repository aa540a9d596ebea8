/**
 * Global setup of `npm run test:e2e`: the toolchain (built when missing, else cached); then, side by side, a fresh
 * kwokctl cluster with admission and authorization on and Istio's CRDs (upgraded from the previous minor's: see
 * ./istio-upgrade.ts) from the `base` chart of the Istio release the platform installs, and the services' images built
 * once and pushed to a registry on loopback (./images.ts). Tests get the bin directory, kubeconfig and images through
 * the environment (see ./cluster.ts, ./images.ts); the teardown stops the registry and the cluster.
 */
import { CLUSTER_TOOLS, clusterUp } from '../../../src/cluster/kwok';
import { ensureToolchain } from '../../../src/toolchain/index';
import { E2E_CLUSTER } from './names';
import { installIstioCrds } from './istio';
import { publishImages, pushRunImages } from './images';
import { RUN_REGISTRY, stopRunRegistry } from './global-teardown';
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

  const images = pushRunImages().then(({ registry, pushed }) => {
    (globalThis as Record<symbol, unknown>)[RUN_REGISTRY] = registry;
    publishImages(pushed);
    log(`images pushed in ${seconds()} s to ${pushed.registry}`);
  });
  // Awaited below, after the cluster, before any file starts: pushed in the background while the files start, the
  // images took twice as long and reached the Pulumi files, the longest, later (measured in docs/e2e.md).
  images.catch(() => undefined);
  try {
    const kubeconfig = await clusterUp({ bin, name: E2E_CLUSTER, progress: (message) => log(`cluster: ${message}`) });
    process.env.MESH_E2E_KUBECONFIG = kubeconfig;
    log('installing Istio CRDs');
    await installIstioCrds();
    // One per claim of the in-cluster database the tests create: the manifests applied, and the Pulumi stacks.
    await provideVolumes(7);
    log(`cluster ready in ${seconds()} s: ${kubeconfig}`);
    await images;
  } catch (error) {
    // jest runs no teardown after a failed setup: no registry is left behind.
    await images.catch(() => undefined);
    await stopRunRegistry();
    throw error;
  }
}
