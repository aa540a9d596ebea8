/** Stops the e2e cluster (every process by pid, via kwokctl) unless MESH_E2E_KEEP_CLUSTER=1 asks to keep it for a look. */
import { clusterDown } from '../../../src/cluster/kwok';
import { E2E_CLUSTER } from './names';

export default async function globalTeardown(): Promise<void> {
  const bin = process.env.MESH_E2E_BIN;
  if (!bin) return;
  if (process.env.MESH_E2E_KEEP_CLUSTER === '1') {
    process.stderr.write(`e2e: keeping cluster ${E2E_CLUSTER}: KUBECONFIG=${process.env.MESH_E2E_KUBECONFIG}\n`);
    return;
  }
  await clusterDown(bin, E2E_CLUSTER);
}
