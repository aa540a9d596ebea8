/** A service's traffic objects under Istio routing: the DestinationRule (subsets, circuit breaking, mTLS) and the mesh VirtualService. */
import { Construct } from 'constructs';
import {
  DestinationRule, DestinationRuleSpecTrafficPolicyLoadBalancerSimple, DestinationRuleSpecTrafficPolicyTlsMode, VirtualService,
  type DestinationRuleSpecTrafficPolicy,
} from '../../imports/networking.istio.io';
import { serviceHost } from '../description/names/workloads';
import { serviceLabels } from '../description/names/labels';
import type { ServiceSpec } from '../description/types';
import type { DataPlane } from '../constructs/microservice-props';
import { propsContext } from '../constructs/placement';
import { resolveTraffic, type ServiceTrafficProps } from './traffic-props';
import { httpRoutes } from './http-routes';
import { isProgressive } from '../description/delivery-schema';

const LOAD_BALANCERS = {
  LEAST_REQUEST: DestinationRuleSpecTrafficPolicyLoadBalancerSimple.LEAST_UNDERSCORE_REQUEST,
  ROUND_ROBIN: DestinationRuleSpecTrafficPolicyLoadBalancerSimple.ROUND_UNDERSCORE_ROBIN,
  RANDOM: DestinationRuleSpecTrafficPolicyLoadBalancerSimple.RANDOM,
} as const;

/**
 * The DestinationRule traffic policy of a service: load balancing and circuit breaking (connection pool, outlier
 * detection), and Istio mTLS to the sidecars. Ambient workloads get mTLS from ztunnel (HBONE), so `tls` is left out.
 */
export function destinationTrafficPolicy(platform: { readonly mesh: { readonly dataPlane: DataPlane } }, service: Pick<ServiceSpec, 'trafficPolicy'>): DestinationRuleSpecTrafficPolicy {
  const { loadBalancer, connectionPool, outlierDetection } = service.trafficPolicy;
  const { maxRequestsPerConnection, ...httpPool } = connectionPool.http;
  return {
    loadBalancer: { simple: LOAD_BALANCERS[loadBalancer] },
    connectionPool: {
      tcp: connectionPool.tcp,
      http: { ...httpPool, ...(maxRequestsPerConnection > 0 ? { maxRequestsPerConnection } : {}) },
    },
    outlierDetection,
    ...(platform.mesh.dataPlane === 'sidecar' ? { tls: { mode: DestinationRuleSpecTrafficPolicyTlsMode.ISTIO_UNDERSCORE_MUTUAL } } : {}),
  };
}

/**
 * A service's traffic under Istio routing: a DestinationRule with one subset per version, and the VirtualService that
 * splits traffic between them (canary weights, header pinning, timeouts, retries, faults, mirroring).
 *
 * @example
 * new IstioServiceTraffic(chart, 'orders-traffic', {
 *   name: 'orders',
 *   versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }],
 *   header: { version: 'v2' }, // `x-canary: always` reaches v2
 * });
 */
export class IstioServiceTraffic extends Construct {
  /** The DestinationRule; undefined under progressive delivery, where Flagger creates the DestinationRules. */
  readonly destinationRule?: DestinationRule;
  /** The VirtualService (under progressive delivery, `<name>-mesh`, which delegates to Flagger's). */
  readonly virtualService: VirtualService;

  constructor(scope: Construct, id: string, props: ServiceTrafficProps) {
    super(scope, id);
    const service = resolveTraffic(propsContext(this, 'IstioServiceTraffic', props), props);
    const { platform } = service;
    const host = serviceHost(platform, service.name);
    const metadata = { name: service.name, namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) };
    if (isProgressive(service)) {
      // Flagger owns the DestinationRules and the delegate VirtualService `<name>`; the mesh's root delegates to it.
      this.virtualService = new VirtualService(this, 'VirtualService', {
        metadata: { ...metadata, name: `${service.name}-mesh` },
        spec: { hosts: [host], http: httpRoutes(platform, service) },
      });
      return;
    }

    this.destinationRule = new DestinationRule(this, 'DestinationRule', {
      metadata,
      spec: {
        host,
        trafficPolicy: destinationTrafficPolicy(service, service),
        subsets: service.versions.map((version) => ({ name: version.name, labels: { version: version.name } })),
      },
    });

    this.virtualService = new VirtualService(this, 'VirtualService', {
      metadata,
      spec: { hosts: [host], http: httpRoutes(platform, service) },
    });
  }
}
