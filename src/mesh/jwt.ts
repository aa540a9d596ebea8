/** The JWT pieces every ingress and the waypoint share: the environment's issuer, and the deny-without-token rule. */
import type { AuthorizationPolicySpecRules, RequestAuthenticationSpecJwtRules } from '../../imports/security.istio.io';
import type { PlatformSpec, ServiceSpec } from '../spec/types';

/** RequestAuthentication `jwtRules` of the environment's `jwt`. */
export function jwtRules(jwt: NonNullable<PlatformSpec['jwt']>): RequestAuthenticationSpecJwtRules[] {
  return [{ issuer: jwt.issuer, jwksUri: jwt.jwksUri, ...(jwt.audiences ? { audiences: jwt.audiences } : {}) }];
}

/** DENY rule for requests without a token on the exposed prefixes of `guarded` (RequestAuthentication only rejects invalid ones). */
export function requireTokenRules(guarded: readonly ServiceSpec[]): AuthorizationPolicySpecRules[] {
  return [{
    from: [{ source: { notRequestPrincipals: ['*'] } }],
    to: [{ operation: { paths: guarded.flatMap((service) => [service.expose!.prefix, `${service.expose!.prefix}/*`]) } }],
  }];
}
