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
import {
  GATEWAY_API_GROUP, GATEWAY_SERVICE_ACCOUNT_ANNOTATION, INGRESS_GATEWAY_CLASS, INGRESS_HTTPS_PORT, INGRESS_HTTP_PORT, gatewayServiceAccount, ingressRouteName,
} from '../../description/names/mesh';
import { platformLabels, serviceLabels } from '../../description/names/labels';
import { jwtRules, requireTokenRules } from '../jwt';
import { propsContext } from '../../constructs/placement';
import { resolveIngress, type IngressProps, type IngressSettings } from '../ingress-props';
import { routeRules } from './route-rules';

/** Gateway API hostnames: none means any, which Istio's `*` says. */
const hostnames = (hosts: readonly string[]) => (hosts.includes('*') ? [] : [...hosts]);

/** One listener per host and protocol: `http` on 80 and, with TLS, `https` on 443 terminating with the credential. */
function listeners(gateway: IngressSettings['gateway']): GatewaySpecListeners[] {
  const { hosts, tlsCredentialName } = gateway;
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
  const http = per('http', INGRESS_HTTP_PORT);
  if (!tlsCredentialName) return http;
  return [...http, ...per('https', INGRESS_HTTPS_PORT, { tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: tlsCredentialName }] } })];
}

/**
 * The ingress under Gateway API routing: a Gateway of class `istio` (Istio deploys its pods in the namespace) with its
 * ServiceAccount, one HTTPRoute per service with `expose`, and RequestAuthentication + a deny-without-token policy when
 * `jwt` is set. Same props as `IstioIngress`; nothing without an exposed service.
 *
 * @example
 * new GatewayApiIngress(chart, 'ingress', {
 *   gateway: { hosts: ['shop.example.com'] },
 *   services: [{ name: 'orders', versions: [{ name: 'v1' }], expose: { prefix: '/api/orders' } }],
 * });
 */
export class GatewayApiIngress extends Construct {
  /** The ServiceAccount of the gateway's pods; undefined without an exposed service. */
  readonly serviceAccount?: kplus.ServiceAccount;
  /** The Gateway; undefined without an exposed service. */
  readonly gateway?: Gateway;
  /** Each exposed service's HTTPRoute, by service name. */
  readonly httpRoutes: Readonly<Record<string, HttpRoute>>;
  /** The HTTP route that redirects to HTTPS; undefined without a TLS credential. */
  readonly httpsRedirect?: HttpRoute;
  /** JWT validation at the gateway; undefined without `jwt` or a service with `expose.requireJwt`. */
  readonly requestAuthentication?: RequestAuthentication;
  /** The policy that denies requests without a token on the guarded prefixes; with `requestAuthentication`. */
  readonly requireJwt?: AuthorizationPolicy;

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    const { platform, exposed, gateway, jwt, gatewayApiChannel } = resolveIngress(propsContext(this, 'GatewayApiIngress', props), props);
    const httpRoutes: Record<string, HttpRoute> = {};
    this.httpRoutes = httpRoutes;
    if (exposed.length === 0) return;
    const labels = platformLabels(platform);
    const all = listeners(gateway);

    // The gateway pods' identity is created here, so the policies that allow it name an existing ServiceAccount.
    const account = gatewayServiceAccount(gateway.name);
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name: account, namespace: platform.namespace, labels }, automountToken: false });
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: { name: gateway.name, namespace: platform.namespace, labels, annotations: { [GATEWAY_SERVICE_ACCOUNT_ANNOTATION]: account } },
      spec: { gatewayClassName: INGRESS_GATEWAY_CLASS, listeners: all },
    });

    const section = (protocol: string): HttpRouteSpecParentRefs[] =>
      all.filter((listener) => listener.protocol === protocol).map((listener) => ({ name: gateway.name, sectionName: listener.name }));
    const serving = section(gateway.tlsCredentialName ? 'HTTPS' : 'HTTP');
    if (gateway.tlsCredentialName) {
      this.httpsRedirect = new HttpRoute(this, 'HttpsRedirect', {
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
      httpRoutes[service.name] = new HttpRoute(this, service.name, {
        metadata: { name: ingressRouteName(service.name), namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) },
        spec: {
          parentRefs: serving,
          ...(names.length > 0 ? { hostnames: names } : {}),
          rules: routeRules(service, gatewayApiChannel, { prefix: service.expose.prefix, rewrite: service.expose.rewrite }),
        },
      });
    }

    const guarded = exposed.filter((service) => service.expose.requireJwt);
    if (!jwt || guarded.length === 0) return;
    const targetRefs = [{ group: GATEWAY_API_GROUP, kind: 'Gateway', name: gateway.name }];
    const metadata = (name: string) => ({ name, namespace: platform.namespace, labels });
    this.requestAuthentication = new RequestAuthentication(this, 'Jwt', {
      metadata: metadata(`${platform.name}-jwt`),
      spec: {
        targetRefs,
        jwtRules: jwtRules(jwt),
      },
    });
    // RequestAuthentication only rejects invalid tokens; this rejects requests that carry none.
    this.requireJwt = new AuthorizationPolicy(this, 'RequireJwt', {
      metadata: metadata(`${platform.name}-require-jwt`),
      spec: {
        targetRefs,
        action: AuthorizationPolicySpecAction.DENY,
        rules: requireTokenRules(guarded),
      },
    });
  }
}
