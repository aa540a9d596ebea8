/** The fake nodes of the local cluster: kwok makes them Ready and their pods Running without containers. */

/** Zones the fake nodes spread over, so that topology spread and anti-affinity have somewhere to go. */
export const ZONES = ['zone-a', 'zone-b'] as const;

/** A fake Node for kwok (which manages every node of a kwokctl cluster) in `zone`. */
export function fakeNode(name: string, zone: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
        'topology.kubernetes.io/region': 'local',
        'topology.kubernetes.io/zone': zone,
      },
    },
    spec: {},
    status: {
      // Room for every environment's replicas; nothing runs, so the numbers only have to satisfy the scheduler.
      allocatable: { cpu: '16', memory: '64Gi', pods: '110' },
      capacity: { cpu: '16', memory: '64Gi', pods: '110' },
    },
  };
}

/** One node per zone: `kwok-node-zone-a`, `kwok-node-zone-b`. */
export function fakeNodes(): object[] {
  return ZONES.map((zone) => fakeNode(`kwok-node-${zone}`, zone));
}
