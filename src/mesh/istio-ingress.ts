/** The ingress under Istio routing: Gateway, the VirtualService that maps public prefixes to services, and optional JWT checks. */
import { Construct } from 'constructs';
import { Gateway, GatewaySpecServersTlsMode, VirtualService, type GatewaySpecServers } from '../../imports/networking.istio.io';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, RequestAuthentication } from '../../imports/security.istio.io';
import { platformLabels } from '../description/names/labels';
import { INGRESS_HTTPS_PORT, INGRESS_HTTP_PORT } from '../description/names/mesh';
import { httpRoutes } from './http-routes';
import { jwtRules, requireTokenRules } from './jwt';
import { propsContext } from '../constructs/placement';
import { resolveIngress, type IngressProps, type IngressSettings } from './ingress-props';

function servers(gateway: IngressSettings['gateway']): GatewaySpecServers[] {
  const { hosts, tlsCredentialName } = gateway;
  const http: GatewaySpecServers = { port: { number: INGRESS_HTTP_PORT, name: 'http', protocol: 'HTTP' }, hosts, ...(tlsCredentialName ? { tls: { httpsRedirect: true } } : {}) };
  if (!tlsCredentialName) return [http];
  return [http, { port: { number: INGRESS_HTTPS_PORT, name: 'https', protocol: 'HTTPS' }, hosts, tls: { mode: GatewaySpecServersTlsMode.SIMPLE, credentialName: tlsCredentialName } }];
}

/**
 * The ingress under Istio routing: a Gateway on Istio's installed ingress gateway pods, the VirtualService that routes
 * every service with `expose`, and RequestAuthentication + a deny-without-token policy when `jwt` is set. Nothing
 * without an exposed service.
 *
 * @example
 * new IstioIngress(chart, 'ingress', {
 *   gateway: { hosts: ['shop.example.com'], tlsCredentialName: 'shop-tls' },
 *   services: [{ name: 'orders', versions: [{ name: 'v1' }], expose: { prefix: '/api/orders', rewrite: '/orders' } }],
 * });
 */
export class IstioIngress extends Construct {
  /** The Gateway; undefined without an exposed service. */
  readonly gateway?: Gateway;
  /** The VirtualService of the exposed services' routes; undefined without an exposed service. */
  readonly virtualService?: VirtualService;
  /** JWT validation at the gateway; undefined without `jwt` or a service with `expose.requireJwt`. */
  readonly requestAuthentication?: RequestAuthentication;
  /** The policy that denies requests without a token on the guarded prefixes; with `requestAuthentication`. */
  readonly requireJwt?: AuthorizationPolicy;

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    const { platform, exposed, gateway, jwt } = resolveIngress(propsContext(this, 'IstioIngress', props), props);
    if (exposed.length === 0) return;
    const labels = platformLabels(platform);

    this.gateway = new Gateway(this, 'Gateway', {
      metadata: { name: gateway.name, namespace: platform.namespace, labels },
      spec: { selector: gateway.selector, servers: servers(gateway) },
    });

    // Longest prefix first, so "/api/orders/export" is never shadowed by "/api/orders".
    const byPrefixLength = [...exposed].sort((a, b) => b.expose.prefix.length - a.expose.prefix.length);
    this.virtualService = new VirtualService(this, 'Routes', {
      metadata: { name: `${platform.name}-ingress`, namespace: platform.namespace, labels },
      spec: {
        hosts: gateway.hosts,
        gateways: [gateway.name],
        http: byPrefixLength.flatMap((service) =>
          httpRoutes(platform, service, { prefix: service.expose.prefix, rewrite: service.expose.rewrite, namePrefix: `${service.name}-` })),
      },
    });

    const guarded = exposed.filter((service) => service.expose.requireJwt);
    if (!jwt || guarded.length === 0) return;
    // Both objects select the gateway pods, so they live in the gateway's namespace.
    const gatewayMetadata = (name: string) => ({ name, namespace: gateway.namespace, labels });
    this.requestAuthentication = new RequestAuthentication(this, 'Jwt', {
      metadata: gatewayMetadata(`${platform.name}-jwt`),
      spec: {
        selector: { matchLabels: gateway.selector },
        jwtRules: jwtRules(jwt),
      },
    });
    // RequestAuthentication only rejects invalid tokens; this rejects requests that carry none.
    this.requireJwt = new AuthorizationPolicy(this, 'RequireJwt', {
      metadata: gatewayMetadata(`${platform.name}-require-jwt`),
      spec: {
        selector: { matchLabels: gateway.selector },
        action: AuthorizationPolicySpecAction.DENY,
        rules: requireTokenRules(guarded),
      },
    });
  }
}
