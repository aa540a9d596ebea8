/**
 * With `networkPolicies`: each service that declares a database may open connections to its server and nowhere else
 * new; the in-cluster server accepts them from exactly those services. Added to the platform's default deny
 * (network-policies.ts), which already lets every pod reach DNS and istiod.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { platformLabels, serviceSelector } from '../spec/names';
import type { PostgresServerSpec } from '../spec/database-types';
import { databaseClients } from './database-clients';
import type { PlatformProps } from './platform-props';

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

/** The peers that are the server: its pods in the namespace, or its address ranges outside the cluster. */
function serverPeers(server: PostgresServerSpec): k8s.NetworkPolicyPeer[] {
  if (server.location === 'in-cluster') return [{ podSelector: { matchLabels: serviceSelector(server.name) } }];
  return (server.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }));
}

/** Egress to the database server per service with a database; ingress to the in-cluster server from them. */
export class DatabaseNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const use = databaseClients(platform);
    if (!use) return;
    const { server, clients } = use;
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, { metadata: { name, namespace: platform.namespace, labels: platformLabels(platform) }, spec });

    for (const service of clients) {
      policy(`allow-${service.name}-database-egress`, {
        podSelector: { matchLabels: serviceSelector(service.name) },
        policyTypes: ['Egress'],
        egress: [{ to: serverPeers(server), ports: [tcp(server.port)] }],
      });
    }
    if (server.location === 'in-cluster') {
      policy(`allow-${server.name}-ingress`, {
        podSelector: { matchLabels: serviceSelector(server.name) },
        policyTypes: ['Ingress'],
        ingress: [{ from: clients.map((client) => ({ podSelector: { matchLabels: serviceSelector(client.name) } })), ports: [tcp(server.port)] }],
      });
    }
  }
}
