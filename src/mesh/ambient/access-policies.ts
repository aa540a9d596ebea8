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
import { AuthorizationPolicy, AuthorizationPolicySpecAction, RequestAuthentication, type PeerAuthentication } from '../../../imports/security.istio.io';
import { GATEWAY_API_GROUP, WAYPOINT_NAME, waypointPrincipal } from '../../description/names/mesh';
import { platformLabels, serviceLabels, servicePodSelector } from '../../description/names/labels';
import { propsContext } from '../../constructs/placement';
import { jwtRules } from '../jwt';
import { callerPrincipals, namespaceDefaults, resolveAccess, type AccessPoliciesProps } from '../access-props';

/** The waypoint as a policy target. */
export const WAYPOINT_TARGET = { group: GATEWAY_API_GROUP, kind: 'Gateway', name: WAYPOINT_NAME } as const;

/**
 * L4 policies for ztunnel, L7 policies for the namespace's waypoint (`Waypoint`), and JWT validation at the waypoint
 * when `jwt` is set. Same props as `SidecarAccessPolicies`.
 *
 * @example
 * new AmbientAccessPolicies(chart, 'access', {
 *   services: [{ name: 'orders', calls: ['payments'] }, { name: 'payments' }],
 * });
 */
export class AmbientAccessPolicies extends Construct {
  /** STRICT mTLS for the namespace. */
  readonly peerAuthentication: PeerAuthentication;
  /** The namespace-wide allow-nothing policy (ztunnel). */
  readonly denyAll: AuthorizationPolicy;
  /** The allow-nothing policy of the waypoint. */
  readonly waypointDenyAll: AuthorizationPolicy;
  /** JWT validation at the waypoint; undefined without `jwt`. */
  readonly waypointJwt?: RequestAuthentication;
  /** The waypoint's ALLOW policy of each service that has callers, by service name. */
  readonly callerPolicies: Readonly<Record<string, AuthorizationPolicy>>;
  /** ztunnel's ALLOW policy of each service reached through the waypoint or the ingress gateway, by service name. */
  readonly proxyPolicies: Readonly<Record<string, AuthorizationPolicy>>;

  constructor(scope: Construct, id: string, props: AccessPoliciesProps) {
    super(scope, id);
    const access = resolveAccess(propsContext(this, 'AmbientAccessPolicies', props), props);
    const { platform, jwt } = access;
    const labels = platformLabels(platform);
    const defaults = namespaceDefaults(this, platform);
    this.peerAuthentication = defaults.peerAuthentication;
    this.denyAll = defaults.denyAll;
    this.waypointDenyAll = new AuthorizationPolicy(this, 'WaypointDenyAll', {
      metadata: { name: 'waypoint-default-deny', namespace: platform.namespace, labels },
      spec: { targetRefs: [WAYPOINT_TARGET] },
    });
    if (jwt) {
      // Tokens forwarded inside the mesh are checked where L7 runs; the ingress Gateway has its own (IstioIngress, GatewayApiIngress).
      this.waypointJwt = new RequestAuthentication(this, 'WaypointJwt', {
        metadata: { name: 'waypoint-jwt', namespace: platform.namespace, labels },
        spec: {
          targetRefs: [WAYPOINT_TARGET],
          jwtRules: jwtRules(jwt),
        },
      });
    }

    const callerPolicies: Record<string, AuthorizationPolicy> = {};
    const proxyPolicies: Record<string, AuthorizationPolicy> = {};
    for (const service of access.services) {
      const metadata = (name: string) => ({ name, namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) });
      const ports = service.ports.map((port) => String(port.port));
      const callers = callerPrincipals(access, service);
      if (callers.length > 0) {
        callerPolicies[service.name] = new AuthorizationPolicy(this, `${service.name}-callers`, {
          metadata: metadata(`${service.name}-allow-callers`),
          spec: {
            targetRefs: [{ group: '', kind: 'Service', name: service.name }],
            action: AuthorizationPolicySpecAction.ALLOW,
            rules: [{ from: [{ source: { principals: callers } }], to: [{ operation: { ports } }] }],
          },
        });
      }
      const proxies = [...(callers.length > 0 ? [waypointPrincipal(platform)] : []), ...(service.expose ? [access.ingressPrincipal] : [])];
      if (proxies.length === 0) continue;
      proxyPolicies[service.name] = new AuthorizationPolicy(this, `${service.name}-mesh`, {
        metadata: metadata(`${service.name}-allow-proxies`),
        spec: {
          selector: { matchLabels: servicePodSelector(service) },
          action: AuthorizationPolicySpecAction.ALLOW,
          rules: [{ from: [{ source: { principals: proxies } }], to: [{ operation: { ports } }] }],
        },
      });
    }
    this.callerPolicies = callerPolicies;
    this.proxyPolicies = proxyPolicies;
  }
}
