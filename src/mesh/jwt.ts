/** The JWT pieces every ingress and the waypoint share: the environment's issuer, and the deny-without-token rule. */
import type { AuthorizationPolicySpecRules, RequestAuthenticationSpecJwtRules } from '../../imports/security.istio.io';
import type { PlatformSpec, ServiceSpec } from '../description/types';

/** RequestAuthentication `jwtRules` of the environment's `jwt`. */
export function jwtRules(jwt: NonNullable<PlatformSpec['jwt']>): RequestAuthenticationSpecJwtRules[] {
  return [{ issuer: jwt.issuer, jwksUri: jwt.jwksUri, ...(jwt.audiences ? { audiences: jwt.audiences } : {}) }];
}

/**
 * Every destination port, said explicitly: all ports but 0, which no connection has. A DENY rule with HTTP attributes
 * only already covers every port, but istioctl analyze warns about it (IST0133: on a TCP port such a rule denies
 * everything) and asks for a port. Naming the listener ports instead would open a bypass: a gateway's Envoy listens on
 * the targetPort of its Service (8080 and 8443 in istioctl's profiles, 80 and 443 in the gateway chart, whatever the
 * cluster's installation chose), not on the port a Gateway server names, so `ports: ["80"]` would match no request.
 */
const EVERY_PORT = { notPorts: ['0'] };

/** DENY rule for requests without a token on the exposed prefixes of `guarded` (RequestAuthentication only rejects invalid ones). */
export function requireTokenRules(guarded: readonly Pick<ServiceSpec, 'expose'>[]): AuthorizationPolicySpecRules[] {
  return [{
    from: [{ source: { notRequestPrincipals: ['*'] } }],
    to: [{ operation: { paths: guarded.flatMap((service) => [service.expose!.prefix, `${service.expose!.prefix}/*`]), ...EVERY_PORT } }],
  }];
}
