/**
 * Zero trust in the namespace: strict mTLS, deny everything, then allow exactly the calls the description names
 * (the ingress gateway → exposed services, callers → callees), by the callers' ServiceAccount principals.
 */
import { Construct } from 'constructs';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, PeerAuthentication, PeerAuthenticationSpecMtlsMode } from '../../imports/security.istio.io';
import { ingressPods } from '../description/names/mesh';
import { callersOf } from '../description/call-graph';
import { platformLabels, serviceLabels, servicePodSelector } from '../description/names/labels';
import { principal, serviceAccountName } from '../description/names/workloads';
import type { PlatformSpec, ServiceSpec } from '../description/types';
import type { PlatformProps } from '../constructs/platform-props';

/** Principals of the services that list this one in `calls`. */
export function callerPrincipals(platform: PlatformSpec, service: ServiceSpec): string[] {
  return callersOf(platform, service).map((caller) => principal(platform.namespace, serviceAccountName(caller.name)));
}

/** Principals allowed to call a service: its callers' ServiceAccounts, and the ingress gateway if it is exposed. */
export function allowedPrincipals(platform: PlatformSpec, service: ServiceSpec): string[] {
  return [...(service.expose ? [ingressPods(platform).principal] : []), ...callerPrincipals(platform, service)];
}

/** STRICT mTLS and the namespace-wide allow-nothing policy, in both data planes (ztunnel enforces both in ambient). */
export function namespaceDefaults(scope: Construct, platform: PlatformSpec): void {
  const labels = platformLabels(platform);
  new PeerAuthentication(scope, 'StrictMtls', {
    metadata: { name: 'default', namespace: platform.namespace, labels },
    spec: { mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT } },
  });
  // An ALLOW policy without rules matches nothing, so every request not allowed below is denied.
  new AuthorizationPolicy(scope, 'DenyAll', {
    metadata: { name: 'default-deny', namespace: platform.namespace, labels },
    spec: {},
  });
}

/** PeerAuthentication STRICT, a namespace-wide allow-nothing policy, and one ALLOW policy per service that has callers. */
export class AccessPolicies extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    namespaceDefaults(this, platform);
    for (const service of platform.services) {
      const principals = allowedPrincipals(platform, service);
      if (principals.length === 0) continue;
      new AuthorizationPolicy(this, service.name, {
        metadata: { name: `${service.name}-allow-callers`, namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) },
        spec: {
          selector: { matchLabels: servicePodSelector(service) },
          action: AuthorizationPolicySpecAction.ALLOW,
          rules: [{ from: [{ source: { principals } }], to: [{ operation: { ports: service.ports.map((port) => String(port.port)) } }] }],
        },
      });
    }
  }
}
