/** The ingress: Gateway, the VirtualService that maps public prefixes to services, and optional JWT checks. */
import { Construct } from 'constructs';
import { Gateway, GatewaySpecServersTlsMode, VirtualService, type GatewaySpecServers } from '../../imports/networking.istio.io';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, RequestAuthentication } from '../../imports/security.istio.io';
import { platformLabels } from '../description/names/labels';
import type { PlatformSpec } from '../description/types';
import { httpRoutes } from './http-routes';
import { jwtRules, requireTokenRules } from './jwt';
import type { PlatformProps } from '../constructs/platform-props';

function servers(platform: PlatformSpec): GatewaySpecServers[] {
  const { hosts, tlsCredentialName } = platform.gateway;
  const http: GatewaySpecServers = { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts, ...(tlsCredentialName ? { tls: { httpsRedirect: true } } : {}) };
  if (!tlsCredentialName) return [http];
  return [http, { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts, tls: { mode: GatewaySpecServersTlsMode.SIMPLE, credentialName: tlsCredentialName } }];
}

/** Gateway + ingress routes for every service with `expose`; RequestAuthentication + a deny-without-token policy when `jwt` is set. */
export class Ingress extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const exposed = platform.services.filter((service) => service.expose);
    if (exposed.length === 0) return;
    const labels = platformLabels(platform);
    const { gateway } = platform;

    new Gateway(this, 'Gateway', {
      metadata: { name: gateway.name, namespace: platform.namespace, labels },
      spec: { selector: gateway.selector, servers: servers(platform) },
    });

    // Longest prefix first, so "/api/orders/export" is never shadowed by "/api/orders".
    const byPrefixLength = [...exposed].sort((a, b) => b.expose!.prefix.length - a.expose!.prefix.length);
    new VirtualService(this, 'Routes', {
      metadata: { name: `${platform.name}-ingress`, namespace: platform.namespace, labels },
      spec: {
        hosts: gateway.hosts,
        gateways: [gateway.name],
        http: byPrefixLength.flatMap((service) =>
          httpRoutes(platform, service, { prefix: service.expose!.prefix, rewrite: service.expose!.rewrite, namePrefix: `${service.name}-` })),
      },
    });

    const guarded = exposed.filter((service) => service.expose!.requireJwt);
    if (!platform.jwt || guarded.length === 0) return;
    // Both objects select the gateway pods, so they live in the gateway's namespace.
    const gatewayMetadata = (name: string) => ({ name, namespace: gateway.namespace, labels });
    new RequestAuthentication(this, 'Jwt', {
      metadata: gatewayMetadata(`${platform.name}-jwt`),
      spec: {
        selector: { matchLabels: gateway.selector },
        jwtRules: jwtRules(platform.jwt),
      },
    });
    // RequestAuthentication only rejects invalid tokens; this rejects requests that carry none.
    new AuthorizationPolicy(this, 'RequireJwt', {
      metadata: gatewayMetadata(`${platform.name}-require-jwt`),
      spec: {
        selector: { matchLabels: gateway.selector },
        action: AuthorizationPolicySpecAction.DENY,
        rules: requireTokenRules(guarded),
      },
    });
  }
}
