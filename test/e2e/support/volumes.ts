/**
 * PersistentVolumes for the in-cluster database's claims. A kwok cluster has no storage provisioner, so a claim would
 * stay Pending and its pod unscheduled; a pool of static volumes without a StorageClass stands in for one. A claim
 * without a StorageClass binds to such a volume when the cluster has no default class (this one has none). Each
 * volume is used once (a released volume keeps its `Retain` policy), so there is one per claim the tests create.
 * Nothing is mounted: kwok runs no container.
 */
import { kubectl } from './cluster';

/** Creates `count` 1 GiB ReadWriteOnce volumes named `e2e-volume-<n>`. */
export async function provideVolumes(count: number): Promise<void> {
  const items = Array.from({ length: count }, (_, index) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `e2e-volume-${index}`, labels: { 'mesh-platform.io/e2e': 'true' } },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      hostPath: { path: `/var/lib/mesh-platform-e2e/volume-${index}` },
    },
  }));
  await kubectl(['apply', '--server-side', '--field-manager=mesh-platform-e2e', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
}
