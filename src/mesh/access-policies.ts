/**
 * Zero trust in a sidecar namespace: strict mTLS, deny everything, then allow exactly the calls the services name
 * (the ingress gateway → exposed services, callers → callees), by the callers' ServiceAccount principals.
 */
import { Construct } from 'constructs';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, type PeerAuthentication } from '../../imports/security.istio.io';
import { serviceLabels, servicePodSelector } from '../description/names/labels';
import { propsContext } from '../constructs/placement';
import { allowedPrincipals, namespaceDefaults, resolveAccess, type AccessPoliciesProps } from './access-props';

/**
 * PeerAuthentication STRICT, a namespace-wide allow-nothing policy, and one ALLOW policy per service that has callers,
 * enforced by the sidecars.
 *
 * @example
 * new SidecarAccessPolicies(chart, 'access', {
 *   services: [
 *     { name: 'orders', calls: ['payments'], expose: { prefix: '/api/orders' } },
 *     { name: 'payments' },
 *   ],
 * });
 */
export class SidecarAccessPolicies extends Construct {
  /** STRICT mTLS for the namespace. */
  readonly peerAuthentication: PeerAuthentication;
  /** The namespace-wide allow-nothing policy. */
  readonly denyAll: AuthorizationPolicy;
  /** The ALLOW policy of each service that has callers, by service name. */
  readonly allowPolicies: Readonly<Record<string, AuthorizationPolicy>>;

  constructor(scope: Construct, id: string, props: AccessPoliciesProps) {
    super(scope, id);
    const access = resolveAccess(propsContext(this, 'SidecarAccessPolicies', props), props);
    const { platform } = access;
    const defaults = namespaceDefaults(this, platform);
    this.peerAuthentication = defaults.peerAuthentication;
    this.denyAll = defaults.denyAll;
    const allowPolicies: Record<string, AuthorizationPolicy> = {};
    for (const service of access.services) {
      const principals = allowedPrincipals(access, service);
      if (principals.length === 0) continue;
      allowPolicies[service.name] = new AuthorizationPolicy(this, service.name, {
        metadata: { name: `${service.name}-allow-callers`, namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) },
        spec: {
          selector: { matchLabels: servicePodSelector(service) },
          action: AuthorizationPolicySpecAction.ALLOW,
          rules: [{ from: [{ source: { principals } }], to: [{ operation: { ports: service.ports.map((port) => String(port.port)) } }] }],
        },
      });
    }
    this.allowPolicies = allowPolicies;
  }
}
