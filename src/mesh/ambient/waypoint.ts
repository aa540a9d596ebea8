/**
 * The namespace's waypoint: a Gateway of class `istio-waypoint` (Istio deploys its Envoy pods), the L7 proxy of ambient
 * mode. One per namespace rather than one per service: every service of the platform needs L7 (HTTPRoutes for
 * timeouts and canaries, caller policies by principal), so per-service waypoints would only multiply proxies; the
 * Services opt in with `istio.io/use-waypoint` (`meshServiceLabels`), so a service can still be left out or moved to
 * a dedicated waypoint later without touching the others.
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { Gateway } from '../../../imports/gateway.networking.k8s.io';
import { GATEWAY_SERVICE_ACCOUNT_ANNOTATION, HBONE_PORT, WAYPOINT_GATEWAY_CLASS, WAYPOINT_NAME, gatewayServiceAccount } from '../../description/names/mesh';
import { platformLabels } from '../../description/names/labels';
import { placement, propsContext, type PlacementProps } from '../../constructs/placement';

/**
 * The waypoint Gateway and the ServiceAccount its pods run as (their principal in the services' L4 policies): what an
 * ambient namespace needs for L7 routing and policy (`AmbientAccessPolicies`, `GatewayApiServiceTraffic`).
 *
 * @example
 * new Waypoint(chart, 'waypoint');
 */
export class Waypoint extends Construct {
  /** The ServiceAccount of the waypoint's pods. */
  readonly serviceAccount: kplus.ServiceAccount;
  /** The waypoint Gateway. */
  readonly gateway: Gateway;

  constructor(scope: Construct, id: string, props: PlacementProps = {}) {
    super(scope, id);
    const platform = placement(propsContext(this, 'Waypoint', props), props);
    const labels = platformLabels(platform);
    const account = gatewayServiceAccount(WAYPOINT_NAME);
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name: account, namespace: platform.namespace, labels }, automountToken: false });
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: {
        name: WAYPOINT_NAME,
        namespace: platform.namespace,
        // `service`: the waypoint handles traffic addressed to Services (the platform's callers use Service names).
        labels: { ...labels, 'istio.io/waypoint-for': 'service' },
        annotations: { [GATEWAY_SERVICE_ACCOUNT_ANNOTATION]: account },
      },
      spec: { gatewayClassName: WAYPOINT_GATEWAY_CLASS, listeners: [{ name: 'mesh', port: HBONE_PORT, protocol: 'HBONE' }] },
    });
  }
}
