/**
 * Zero trust in an ambient namespace. ztunnel enforces only L4 (principals, ports) and only policies that select
 * workloads; the waypoint enforces policies attached to it or to a Service by `targetRefs`. So:
 * - ztunnel (namespace-wide and by `selector`): STRICT mTLS, deny all, and per service allow only the waypoint (which
 *   carries its callers' traffic) and, for exposed services, the ingress gateway (which sends to the version Services
 *   directly);
 * - the waypoint (`targetRefs`): deny all that passes it, and per service allow the callers its description names.
 * The allow graph is the one `calls` declares, as in sidecar mode; only where it is enforced differs.
 */
import { Construct } from 'constructs';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, RequestAuthentication } from '../../../imports/security.istio.io';
import { GATEWAY_API_GROUP, WAYPOINT_NAME, ingressPods, waypointPrincipal } from '../../description/names/mesh';
import { platformLabels, serviceLabels, servicePodSelector } from '../../description/names/labels';
import { jwtRules } from '../jwt';
import type { PlatformProps } from '../../constructs/platform-props';
import { callerPrincipals, namespaceDefaults } from '../access-policies';

/** The waypoint as a policy target. */
export const WAYPOINT_TARGET = { group: GATEWAY_API_GROUP, kind: 'Gateway', name: WAYPOINT_NAME } as const;

/** L4 policies for ztunnel, L7 policies for the waypoint, and JWT validation at the waypoint when `jwt` is set. */
export class AmbientAccessPolicies extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const labels = platformLabels(platform);
    namespaceDefaults(this, platform);
    new AuthorizationPolicy(this, 'WaypointDenyAll', {
      metadata: { name: 'waypoint-default-deny', namespace: platform.namespace, labels },
      spec: { targetRefs: [WAYPOINT_TARGET] },
    });
    if (platform.jwt) {
      // Tokens forwarded inside the mesh are checked where L7 runs; the ingress Gateway has its own (ingress.ts).
      new RequestAuthentication(this, 'WaypointJwt', {
        metadata: { name: 'waypoint-jwt', namespace: platform.namespace, labels },
        spec: {
          targetRefs: [WAYPOINT_TARGET],
          jwtRules: jwtRules(platform.jwt),
        },
      });
    }

    for (const service of platform.services) {
      const metadata = (name: string) => ({ name, namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) });
      const ports = service.ports.map((port) => String(port.port));
      const callers = callerPrincipals(platform, service);
      if (callers.length > 0) {
        new AuthorizationPolicy(this, `${service.name}-callers`, {
          metadata: metadata(`${service.name}-allow-callers`),
          spec: {
            targetRefs: [{ group: '', kind: 'Service', name: service.name }],
            action: AuthorizationPolicySpecAction.ALLOW,
            rules: [{ from: [{ source: { principals: callers } }], to: [{ operation: { ports } }] }],
          },
        });
      }
      const proxies = [...(callers.length > 0 ? [waypointPrincipal(platform)] : []), ...(service.expose ? [ingressPods(platform).principal] : [])];
      if (proxies.length === 0) continue;
      new AuthorizationPolicy(this, `${service.name}-mesh`, {
        metadata: metadata(`${service.name}-allow-proxies`),
        spec: {
          selector: { matchLabels: servicePodSelector(service) },
          action: AuthorizationPolicySpecAction.ALLOW,
          rules: [{ from: [{ source: { principals: proxies } }], to: [{ operation: { ports } }] }],
        },
      });
    }
  }
}
