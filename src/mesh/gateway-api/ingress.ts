/**
 * The ingress under the Gateway API: a `Gateway` of class `istio` (Istio deploys its pods and Service in the platform's
 * namespace), one HTTPRoute per exposed service, HTTP redirected to HTTPS when TLS is configured, and JWT checks
 * attached to the Gateway by `targetRefs`.
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import {
  Gateway, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode, type GatewaySpecListeners,
} from '../../../imports/gateway.networking.k8s.io';
// HTTPRoutes from the experimental channel's binding: a superset of the standard one (see ./route-rules.ts).
import {
  HttpRoute, HttpRouteSpecRulesFiltersRequestRedirectScheme, HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType,
  type HttpRouteSpecParentRefs,
} from '../../../imports/gateway-api-experimental-gateway.networking.k8s.io';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, RequestAuthentication } from '../../../imports/security.istio.io';
import { GATEWAY_API_GROUP, GATEWAY_SERVICE_ACCOUNT_ANNOTATION, INGRESS_GATEWAY_CLASS, gatewayServiceAccount, ingressRouteName } from '../../description/names/mesh';
import { platformLabels, serviceLabels } from '../../description/names/labels';
import type { PlatformSpec } from '../../description/types';
import { jwtRules, requireTokenRules } from '../jwt';
import type { PlatformProps } from '../../constructs/platform-props';
import { routeRules } from './route-rules';

/** Gateway API hostnames: none means any, which Istio's `*` says. */
const hostnames = (hosts: readonly string[]) => (hosts.includes('*') ? [] : [...hosts]);

/** One listener per host and protocol: `http` on 80 and, with TLS, `https` on 443 terminating with the credential. */
function listeners(platform: PlatformSpec): GatewaySpecListeners[] {
  const { hosts, tlsCredentialName } = platform.gateway;
  const names = hostnames(hosts);
  const per = (protocol: 'http' | 'https', port: number, extra: Partial<GatewaySpecListeners> = {}): GatewaySpecListeners[] =>
    (names.length === 0 ? [undefined] : names).map((hostname, index) => ({
      name: names.length > 1 ? `${protocol}-${index}` : protocol,
      port,
      protocol: protocol.toUpperCase(),
      ...(hostname ? { hostname } : {}),
      allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
      ...extra,
    }));
  const http = per('http', 80);
  if (!tlsCredentialName) return http;
  return [...http, ...per('https', 443, { tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: tlsCredentialName }] } })];
}

/**
 * Ports the ingress Gateway's listeners open: Istio gives its Service the same ports and no `targetPort`, and the
 * Envoy in its pods binds them directly (80, and 443 with TLS).
 */
export const ingressListenerPorts = (platform: PlatformSpec): number[] => [...new Set(listeners(platform).map((listener) => listener.port))];

/** Gateway + one HTTPRoute per service with `expose`; RequestAuthentication + a deny-without-token policy when `jwt` is set. */
export class GatewayApiIngress extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const exposed = platform.services.filter((service) => service.expose);
    if (exposed.length === 0) return;
    const labels = platformLabels(platform);
    const { gateway } = platform;
    const all = listeners(platform);

    // The gateway pods' identity is created here, so the policies that allow it name an existing ServiceAccount.
    const account = gatewayServiceAccount(gateway.name);
    new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name: account, namespace: platform.namespace, labels }, automountToken: false });
    new Gateway(this, 'Gateway', {
      metadata: { name: gateway.name, namespace: platform.namespace, labels, annotations: { [GATEWAY_SERVICE_ACCOUNT_ANNOTATION]: account } },
      spec: { gatewayClassName: INGRESS_GATEWAY_CLASS, listeners: all },
    });

    const section = (protocol: string): HttpRouteSpecParentRefs[] =>
      all.filter((listener) => listener.protocol === protocol).map((listener) => ({ name: gateway.name, sectionName: listener.name }));
    const serving = section(gateway.tlsCredentialName ? 'HTTPS' : 'HTTP');
    if (gateway.tlsCredentialName) {
      new HttpRoute(this, 'HttpsRedirect', {
        metadata: { name: `${platform.name}-https-redirect`, namespace: platform.namespace, labels },
        spec: {
          parentRefs: section('HTTP'),
          rules: [{
            filters: [{
              type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
              requestRedirect: { scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS, statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301 },
            }],
          }],
        },
      });
    }

    // The Gateway API orders matches by prefix length itself, so "/api/orders/export" is never shadowed by "/api/orders".
    for (const service of exposed) {
      const names = hostnames(gateway.hosts);
      new HttpRoute(this, service.name, {
        metadata: { name: ingressRouteName(service.name), namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) },
        spec: {
          parentRefs: serving,
          ...(names.length > 0 ? { hostnames: names } : {}),
          rules: routeRules(service, platform.mesh.gatewayApiChannel, { prefix: service.expose!.prefix, rewrite: service.expose!.rewrite }),
        },
      });
    }

    const guarded = exposed.filter((service) => service.expose!.requireJwt);
    if (!platform.jwt || guarded.length === 0) return;
    const targetRefs = [{ group: GATEWAY_API_GROUP, kind: 'Gateway', name: gateway.name }];
    const metadata = (name: string) => ({ name, namespace: platform.namespace, labels });
    new RequestAuthentication(this, 'Jwt', {
      metadata: metadata(`${platform.name}-jwt`),
      spec: {
        targetRefs,
        jwtRules: jwtRules(platform.jwt),
      },
    });
    // RequestAuthentication only rejects invalid tokens; this rejects requests that carry none.
    new AuthorizationPolicy(this, 'RequireJwt', {
      metadata: metadata(`${platform.name}-require-jwt`),
      spec: {
        targetRefs,
        action: AuthorizationPolicySpecAction.DENY,
        rules: requireTokenRules(guarded),
      },
    });
  }
}
