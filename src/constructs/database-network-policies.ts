/**
 * With `networkPolicies`: each service that declares a database may open connections to its server and nowhere else
 * new; the in-cluster server accepts them from exactly those services. Added to the platform's default deny
 * (network-policies.ts), which already lets every pod reach DNS. An external server is outside the mesh in both data
 * planes (its port, at its address ranges); the in-cluster one is a mesh pod like the services, reached on its port
 * with sidecars and over HBONE (15008) in ambient, directly: its Service uses no waypoint (ztunnel checks the clients).
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { serviceSelector, servicePodSelector } from '../description/names/labels';
import type { PostgresServerSpec } from '../description/database-types';
import type { PlatformSpec } from '../description/types';
import { databaseClients } from './database-clients';
import { policyFactory, servicePods, tcp, wirePorts } from './network-peers';
import type { PlatformProps } from './platform-props';

/** The peers that are the server: its pods in the namespace, or its address ranges outside the cluster. */
function serverPeers(server: PostgresServerSpec): k8s.NetworkPolicyPeer[] {
  if (server.location === 'in-cluster') return [{ podSelector: { matchLabels: serviceSelector(server.name) } }];
  return (server.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }));
}

/** The server's port on the wire. */
const serverPorts = (platform: PlatformSpec, server: PostgresServerSpec) =>
  (server.location === 'in-cluster' ? wirePorts(platform, [server.port]) : [tcp(server.port)]);

/** Egress to the database server per service with a database; ingress to the in-cluster server from them. */
export class DatabaseNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const use = databaseClients(platform);
    if (!use) return;
    const { server, clients } = use;
    const policy = policyFactory(this, platform);
    const ports = serverPorts(platform, server);

    for (const service of clients) {
      policy(`allow-${service.name}-database-egress`, {
        podSelector: { matchLabels: servicePodSelector(service) },
        policyTypes: ['Egress'],
        egress: [{ to: serverPeers(server), ports }],
      });
    }
    if (server.location === 'in-cluster') {
      policy(`allow-${server.name}-ingress`, {
        podSelector: { matchLabels: serviceSelector(server.name) },
        policyTypes: ['Ingress'],
        ingress: [{ from: clients.map((client) => servicePods(client)), ports }],
      });
    }
  }
}
