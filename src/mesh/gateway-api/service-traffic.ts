/**
 * A service's traffic objects under the Gateway API: one Service per version (the backends HTTPRoutes can name), a
 * DestinationRule per version host for circuit breaking, and the in-mesh HTTPRoute attached to the service's own
 * Service (GAMMA: parentRef kind Service), which splits its callers' traffic between the versions.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
// The experimental channel's binding: a superset of the standard one (see ./route-rules.ts).
import { HttpRoute } from '../../../imports/gateway-api-experimental-gateway.networking.k8s.io';
import { DestinationRule } from '../../../imports/networking.istio.io';
import { serviceHost, versionServiceName } from '../../description/names/workloads';
import { serviceLabels, versionSelector } from '../../description/names/labels';
import { propsContext } from '../../constructs/placement';
import { destinationTrafficPolicy } from '../istio-service-traffic';
import { resolveTraffic, type ServiceTrafficProps } from '../traffic-props';
import { routeRules } from './route-rules';

/**
 * Per-version Services and DestinationRules, and the HTTPRoute that splits traffic to the service between them: the
 * Gateway API counterpart of `IstioServiceTraffic`, with the same props.
 *
 * @example
 * new GatewayApiServiceTraffic(chart, 'orders-traffic', {
 *   name: 'orders',
 *   versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }],
 *   dataPlane: 'ambient',
 * });
 */
export class GatewayApiServiceTraffic extends Construct {
  /** Each version's Service (the HTTPRoute's backends), by version name. */
  readonly versionServices: Readonly<Record<string, k8s.KubeService>>;
  /** Each version's DestinationRule (circuit breaking), by version name. */
  readonly destinationRules: Readonly<Record<string, DestinationRule>>;
  /** The HTTPRoute attached to the service's Service. */
  readonly httpRoute: HttpRoute;

  constructor(scope: Construct, id: string, props: ServiceTrafficProps) {
    super(scope, id);
    const service = resolveTraffic(propsContext(this, 'GatewayApiServiceTraffic', props), props);
    const { platform } = service;
    const labels = serviceLabels(platform, service.name, service.component);
    const versionServices: Record<string, k8s.KubeService> = {};
    const destinationRules: Record<string, DestinationRule> = {};

    for (const version of service.versions) {
      const name = versionServiceName(service.name, version.name);
      const metadata = { name, namespace: platform.namespace, labels: { ...labels, version: version.name } };
      versionServices[version.name] = new k8s.KubeService(this, `${version.name}-Service`, {
        metadata,
        spec: {
          type: 'ClusterIP',
          selector: versionSelector(service.name, version.name),
          ports: service.ports.map((port) => ({
            name: port.name,
            port: port.port,
            targetPort: k8s.IntOrString.fromString(port.name),
            protocol: 'TCP',
            appProtocol: port.appProtocol,
          })),
        },
      });
      destinationRules[version.name] = new DestinationRule(this, `${version.name}-DestinationRule`, {
        metadata,
        spec: { host: serviceHost(platform, name), trafficPolicy: destinationTrafficPolicy(service, service) },
      });
    }
    this.versionServices = versionServices;
    this.destinationRules = destinationRules;

    this.httpRoute = new HttpRoute(this, 'HttpRoute', {
      metadata: { name: service.name, namespace: platform.namespace, labels },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: service.name, port: service.ports[0].port }],
        rules: routeRules(service, service.mesh.gatewayApiChannel),
      },
    });
  }
}
