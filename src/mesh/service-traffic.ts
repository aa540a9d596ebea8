/** A service's traffic objects: the DestinationRule (subsets, circuit breaking, mTLS) and the mesh VirtualService. */
import { Construct } from 'constructs';
import {
  DestinationRule, DestinationRuleSpecTrafficPolicyLoadBalancerSimple, DestinationRuleSpecTrafficPolicyTlsMode, VirtualService,
  type DestinationRuleSpecTrafficPolicy,
} from '../../imports/networking.istio.io';
import { serviceHost } from '../description/names/workloads';
import { serviceLabels } from '../description/names/labels';
import type { PlatformSpec, ServiceSpec } from '../description/types';
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
export function destinationTrafficPolicy(platform: PlatformSpec, service: ServiceSpec): DestinationRuleSpecTrafficPolicy {
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

/** Props of `ServiceTraffic`. */
export interface ServiceTrafficProps {
  /** The resolved platform. */
  readonly platform: PlatformSpec;
  /** The service whose traffic is shaped. */
  readonly service: ServiceSpec;
}

/** DestinationRule with one subset per version, and the VirtualService that splits traffic between them. */
export class ServiceTraffic extends Construct {
  constructor(scope: Construct, id: string, props: ServiceTrafficProps) {
    super(scope, id);
    const { platform, service } = props;
    const host = serviceHost(platform, service.name);
    const metadata = { name: service.name, namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) };
    if (isProgressive(service)) {
      // Flagger owns the DestinationRules and the delegate VirtualService `<name>`; the mesh's root delegates to it.
      new VirtualService(this, 'VirtualService', {
        metadata: { ...metadata, name: `${service.name}-mesh` },
        spec: { hosts: [host], http: httpRoutes(platform, service) },
      });
      return;
    }

    new DestinationRule(this, 'DestinationRule', {
      metadata,
      spec: {
        host,
        trafficPolicy: destinationTrafficPolicy(platform, service),
        subsets: service.versions.map((version) => ({ name: version.name, labels: { version: version.name } })),
      },
    });

    new VirtualService(this, 'VirtualService', {
      metadata,
      spec: { hosts: [host], http: httpRoutes(platform, service) },
    });
  }
}
