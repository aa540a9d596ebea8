/**
 * Stops the run's registry once its images are pushed (./images.ts) and the e2e cluster (every process by pid, via
 * kwokctl) unless MESH_E2E_KEEP_CLUSTER=1 asks to keep the cluster for a look.
 */
import { clusterDown } from '../../../src/cluster/kwok';
import { E2E_CLUSTER } from './names';
import type { RunImages } from './images';

/** Where the setup keeps the registry and its push for the teardown (jest runs both in its main process). */
export const RUN_IMAGES = Symbol.for('mesh-platform-e2e-images');

/** Stops the registry the setup started, if it did. */
export async function stopRunImages(): Promise<void> {
  await ((globalThis as Record<symbol, unknown>)[RUN_IMAGES] as RunImages | undefined)?.stop();
}

export default async function globalTeardown(): Promise<void> {
  await stopRunImages();
  const bin = process.env.MESH_E2E_BIN;
  if (!bin) return;
  if (process.env.MESH_E2E_KEEP_CLUSTER === '1') {
    process.stderr.write(`e2e: keeping cluster ${E2E_CLUSTER}: KUBECONFIG=${process.env.MESH_E2E_KUBECONFIG}\n`);
    return;
  }
  await clusterDown(bin, E2E_CLUSTER);
}
