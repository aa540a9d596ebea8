/** The platform chart: composes the constructs for one environment's spec. Composition only, no logic. */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { DatabaseNetworkPolicies } from '../src/constructs/database-network-policies';
import { GatewayNetworkPolicies } from '../src/constructs/gateway-network-policies';
import { Microservice } from '../src/constructs/microservice';
import { NetworkPolicies } from '../src/constructs/network-policies';
import { PlatformNamespace } from '../src/constructs/platform-namespace';
import { PostgresServer } from '../src/constructs/postgres-server';
import { DatabaseAccess } from '../src/mesh/database-access';
import { SidecarAccessPolicies } from '../src/mesh/access-policies';
import { AmbientAccessPolicies } from '../src/mesh/ambient/access-policies';
import { Waypoint } from '../src/mesh/ambient/waypoint';
import { GatewayApiIngress } from '../src/mesh/gateway-api/ingress';
import { GatewayApiServiceTraffic } from '../src/mesh/gateway-api/service-traffic';
import { IstioIngress } from '../src/mesh/istio-ingress';
import { IstioServiceTraffic } from '../src/mesh/istio-service-traffic';
import { MeshTelemetry } from '../src/mesh/telemetry';
import { Observability } from '../src/observability/observability';
import { ProgressiveDelivery } from '../src/delivery/progressive-delivery';
import { isProgressive } from '../src/description/delivery-schema';
import type { PlatformSpec } from '../src/description/types';
import {
  accessPoliciesProps, ingressProps, microserviceProps, namespaceProps, networkPoliciesProps, platformPlacement, serviceTrafficProps,
} from './platform-props';

/** Props of `PlatformChart`. */
export interface PlatformChartProps {
  /** The resolved platform for one environment. */
  readonly platform: PlatformSpec;
}

/** Everything one environment runs: namespace, services, their traffic and security, ingress, telemetry and monitoring. */
export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { platform } = props;
    new PlatformNamespace(this, 'Namespace', namespaceProps(platform));
    if (platform.mesh.dataPlane === 'ambient') {
      new Waypoint(this, 'Waypoint', platformPlacement(platform));
      new AmbientAccessPolicies(this, 'AccessPolicies', accessPoliciesProps(platform));
    } else {
      new SidecarAccessPolicies(this, 'AccessPolicies', accessPoliciesProps(platform));
    }
    new MeshTelemetry(this, 'Telemetry', { ...platformPlacement(platform), tracing: platform.observability.tracing });
    if (platform.networkPolicies) {
      new NetworkPolicies(this, 'NetworkPolicies', networkPoliciesProps(platform));
      new GatewayNetworkPolicies(this, 'GatewayNetworkPolicies', { platform });
      new DatabaseNetworkPolicies(this, 'DatabaseNetworkPolicies', { platform });
    }
    const gatewayApi = platform.mesh.routing === 'gateway-api';
    if (gatewayApi) new GatewayApiIngress(this, 'Ingress', ingressProps(platform));
    else new IstioIngress(this, 'Ingress', ingressProps(platform));
    for (const service of platform.services) {
      new Microservice(this, service.name, microserviceProps(platform, service));
      if (isProgressive(service)) new ProgressiveDelivery(this, `${service.name}-delivery`, { platform, service });
      if (isProgressive(service) && gatewayApi) continue;
      if (gatewayApi) new GatewayApiServiceTraffic(this, `${service.name}-traffic`, serviceTrafficProps(platform, service));
      else new IstioServiceTraffic(this, `${service.name}-traffic`, serviceTrafficProps(platform, service));
    }
    new Observability(this, 'Observability', { platform });
    new PostgresServer(this, 'Postgres', { platform });
    new DatabaseAccess(this, 'DatabaseAccess', { platform });
  }
}
