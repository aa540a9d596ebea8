/**
 * Stops the run's registry (./images.ts) and the e2e cluster (every process by pid, via kwokctl) unless
 * MESH_E2E_KEEP_CLUSTER=1 asks to keep the cluster for a look.
 */
import { clusterDown } from '../../../src/cluster/kwok';
import { E2E_CLUSTER } from './names';
import type { LocalRegistry } from './registry';

/** Where the setup keeps the registry for the teardown (jest runs both in its main process). */
export const RUN_REGISTRY = Symbol.for('mesh-platform-e2e-registry');

/** Stops the registry the setup started, if it did. */
export async function stopRunRegistry(): Promise<void> {
  await ((globalThis as Record<symbol, unknown>)[RUN_REGISTRY] as LocalRegistry | undefined)?.stop();
}

export default async function globalTeardown(): Promise<void> {
  await stopRunRegistry();
  const bin = process.env.MESH_E2E_BIN;
  if (!bin) return;
  if (process.env.MESH_E2E_KEEP_CLUSTER === '1') {
    process.stderr.write(`e2e: keeping cluster ${E2E_CLUSTER}: KUBECONFIG=${process.env.MESH_E2E_KUBECONFIG}\n`);
    return;
  }
  await clusterDown(bin, E2E_CLUSTER);
}
