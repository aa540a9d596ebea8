/**
 * The props of the namespace's access policies, one interface for both data planes (`SidecarAccessPolicies`,
 * `AmbientAccessPolicies`), what both create (STRICT mTLS and the namespace-wide deny), and the principals the allow
 * graph is made of.
 */
import type { Construct } from 'constructs';
import { AuthorizationPolicy, PeerAuthentication, PeerAuthenticationSpecMtlsMode } from '../../imports/security.istio.io';
import { callersOf } from '../description/call-graph';
import { platformLabels } from '../description/names/labels';
import { principal, serviceAccountName, type PlatformIdentity } from '../description/names/workloads';
import { platformSchema } from '../description/schema';
import type { PlatformSpec } from '../description/types';
import { resolveServices, type NamespaceService, type NamespaceServiceSpec } from '../constructs/namespace-props';
import { placement, type PlacementProps, type PropsContext } from '../constructs/placement';

/** Props of `SidecarAccessPolicies` and `AmbientAccessPolicies`. */
export interface AccessPoliciesProps extends PlacementProps {
  /** Every service of the namespace: each is allowed exactly the callers that list it in `calls`. */
  readonly services: readonly NamespaceService[];
  /**
   * Principal of the ingress gateway's pods, allowed to call the services with `expose`.
   * @default Istio's default ingress gateway, `cluster.local/ns/istio-system/sa/istio-ingressgateway`
   */
  readonly ingressPrincipal?: string;
  /** JWT validation at the waypoint (`AmbientAccessPolicies` only; the ingress validates its own). @default none */
  readonly jwt?: PlatformSpec['jwt'];
}

/** Access props with every default applied. */
export interface AccessSettings {
  readonly platform: PlatformIdentity;
  readonly services: readonly NamespaceServiceSpec[];
  readonly ingressPrincipal: string;
  readonly jwt?: PlatformSpec['jwt'];
}

const istioIngress = platformSchema.shape.gateway.parse(undefined);
/** Principal of Istio's default ingress gateway (the description's `gateway` defaults). */
const ISTIO_INGRESS_PRINCIPAL = principal(istioIngress.namespace, istioIngress.serviceAccount);

/** The props with the schema's defaults; refuses a call to a service that is not among `services`. */
export function resolveAccess(context: PropsContext, props: AccessPoliciesProps): AccessSettings {
  return {
    platform: placement(context, props),
    services: resolveServices(context, props.services),
    ingressPrincipal: props.ingressPrincipal ?? ISTIO_INGRESS_PRINCIPAL,
    ...(props.jwt ? { jwt: props.jwt } : {}),
  };
}

/** Principals of the services that list this one in `calls`. */
export function callerPrincipals(access: AccessSettings, service: NamespaceServiceSpec): string[] {
  return callersOf(access, service).map((caller) => principal(access.platform.namespace, serviceAccountName(caller.name)));
}

/** Principals allowed to call a service: its callers' ServiceAccounts, and the ingress gateway if it is exposed. */
export function allowedPrincipals(access: AccessSettings, service: NamespaceServiceSpec): string[] {
  return [...(service.expose ? [access.ingressPrincipal] : []), ...callerPrincipals(access, service)];
}

/** What every namespace gets, in both data planes (ztunnel enforces both in ambient). */
export interface NamespaceDefaults {
  /** STRICT mTLS for the namespace. */
  readonly peerAuthentication: PeerAuthentication;
  /** The namespace-wide allow-nothing policy: every request no other policy allows is denied. */
  readonly denyAll: AuthorizationPolicy;
}

/** STRICT mTLS and the namespace-wide allow-nothing policy. */
export function namespaceDefaults(scope: Construct, platform: PlatformIdentity): NamespaceDefaults {
  const labels = platformLabels(platform);
  const peerAuthentication = new PeerAuthentication(scope, 'StrictMtls', {
    metadata: { name: 'default', namespace: platform.namespace, labels },
    spec: { mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT } },
  });
  // An ALLOW policy without rules matches nothing, so every request not allowed below is denied.
  const denyAll = new AuthorizationPolicy(scope, 'DenyAll', {
    metadata: { name: 'default-deny', namespace: platform.namespace, labels },
    spec: {},
  });
  return { peerAuthentication, denyAll };
}
