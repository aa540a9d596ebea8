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
import type { PlatformSpec, ServiceSpec } from '../../description/types';
import { destinationTrafficPolicy } from '../service-traffic';
import { routeRules } from './route-rules';

/** Props of `GatewayApiServiceRoutes`. */
export interface GatewayApiServiceRoutesProps {
  /** The resolved platform (routing `gateway-api`). */
  readonly platform: PlatformSpec;
  /** The service whose traffic is shaped. */
  readonly service: ServiceSpec;
}

/** Per-version Services and DestinationRules, and the HTTPRoute that splits traffic to the service between them. */
export class GatewayApiServiceRoutes extends Construct {
  constructor(scope: Construct, id: string, props: GatewayApiServiceRoutesProps) {
    super(scope, id);
    const { platform, service } = props;
    const labels = serviceLabels(platform, service.name, service.component);

    for (const version of service.versions) {
      const name = versionServiceName(service.name, version.name);
      const metadata = { name, namespace: platform.namespace, labels: { ...labels, version: version.name } };
      new k8s.KubeService(this, `${version.name}-Service`, {
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
      new DestinationRule(this, `${version.name}-DestinationRule`, {
        metadata,
        spec: { host: serviceHost(platform, name), trafficPolicy: destinationTrafficPolicy(platform, service) },
      });
    }

    new HttpRoute(this, 'HttpRoute', {
      metadata: { name: service.name, namespace: platform.namespace, labels },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: service.name, port: service.ports[0].port }],
        rules: routeRules(service, platform.mesh.gatewayApiChannel),
      },
    });
  }
}
