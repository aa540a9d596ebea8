/**
 * The database server in the mesh. External: a ServiceEntry (visible to this namespace only) names exactly its host
 * and port, so the sidecars know the destination as TCP to a MESH_EXTERNAL service (and reach it under an
 * `outboundTrafficPolicy: REGISTRY_ONLY` mesh). In the cluster: its pods fall under the namespace's STRICT
 * PeerAuthentication and default deny like every other, and one ALLOW policy admits exactly the services that declare a
 * database, on its port.
 */
import { Construct } from 'constructs';
import { ServiceEntry, ServiceEntrySpecLocation, ServiceEntrySpecResolution } from '../../imports/networking.istio.io';
import { AuthorizationPolicy, AuthorizationPolicySpecAction } from '../../imports/security.istio.io';
import { databaseClients } from '../constructs/database-clients';
import { POSTGRES_COMPONENT } from '../constructs/postgres-server';
import { platformLabels, serviceLabels, serviceSelector } from '../description/names/labels';
import { postgresServerName } from '../description/names/database';
import { principal, serviceAccountName } from '../description/names/workloads';
import type { PlatformProps } from '../constructs/platform-props';

/** ServiceEntry of an external server, or the AuthorizationPolicy of the in-cluster one; nothing without clients. */
export class DatabaseAccess extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const use = databaseClients(platform);
    if (!use) return;
    const { server, clients } = use;

    if (server.location === 'external') {
      new ServiceEntry(this, 'ServiceEntry', {
        metadata: { name: postgresServerName(platform.name), namespace: platform.namespace, labels: platformLabels(platform) },
        spec: {
          hosts: [server.host],
          ...(server.cidrs ? { addresses: [...server.cidrs] } : {}),
          ports: [{ number: server.port, name: 'tcp-postgres', protocol: 'TCP' }],
          location: ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
          // With addresses, connections to them go to the address the service dialled (Istio allows CIDR addresses only
          // with NONE or STATIC resolution); without, the sidecar resolves the host itself.
          resolution: server.cidrs ? ServiceEntrySpecResolution.NONE : ServiceEntrySpecResolution.DNS,
          exportTo: ['.'],
        },
      });
      return;
    }

    new AuthorizationPolicy(this, 'AllowClients', {
      metadata: { name: `${server.name}-allow-callers`, namespace: platform.namespace, labels: serviceLabels(platform, server.name, POSTGRES_COMPONENT) },
      spec: {
        selector: { matchLabels: serviceSelector(server.name) },
        action: AuthorizationPolicySpecAction.ALLOW,
        rules: [{
          from: [{ source: { principals: clients.map((client) => principal(platform.namespace, serviceAccountName(client.name))) } }],
          to: [{ operation: { ports: [String(server.port)] } }],
        }],
      },
    });
  }
}
