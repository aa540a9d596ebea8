/**
 * The props of a service's traffic constructs, one interface for both routing APIs (`IstioServiceTraffic`,
 * `GatewayApiServiceTraffic`), and their resolution: defaults from the description's schema, and a refusal of routes
 * that can never work (weights that do not add up to 100, a version that is not declared).
 */
import type { GatewayApiChannel } from '../description/modes';
import type { PlatformIdentity } from '../description/names/workloads';
import type { ServiceDescription, ServiceSpec, VersionSpec } from '../description/types';
import type { DataPlane } from '../constructs/microservice-props';
import { serviceField, withDefaults } from '../constructs/defaults';
import { serviceSchema } from '../description/schema';
import { placement, propsError, type PlacementProps, type PropsContext } from '../constructs/placement';

/** A version traffic is routed to, and its share. */
export interface TrafficVersion {
  /** Version name, as the `Microservice` declares it (its pods' `version` label). */
  readonly name: string;
  /** Share of the traffic, percent; the versions' shares add up to 100. @default 100 when it is the only version */
  readonly weight?: number;
}

/** Props of `IstioServiceTraffic` and `GatewayApiServiceTraffic`. Optional settings take the description's defaults (`serviceSchema`). */
export interface ServiceTrafficProps extends PlacementProps, Pick<ServiceDescription, 'component' | 'ports' | 'traffic' | 'trafficPolicy' | 'delivery'> {
  /** The service whose traffic is routed: a `Microservice`'s `name` (its Service). */
  readonly name: string;
  /** The versions traffic is split between. */
  readonly versions: readonly TrafficVersion[];
  /** Requests carrying this header value go to one version regardless of weights (a pinned canary). @default none */
  readonly header?: NonNullable<ServiceDescription['canary']>['header'];
  /** Istio data plane: with `sidecar` the DestinationRules set Istio mTLS (ambient's ztunnel does it itself). @default "sidecar" */
  readonly dataPlane?: DataPlane;
  /** Gateway API channel of the cluster's CRDs (`experimental` adds HTTPRoute `retry`); Gateway API only. @default "standard" */
  readonly gatewayApiChannel?: GatewayApiChannel;
}

/** What a service's routes are built from (a resolved `ServiceSpec` is one). */
export interface RoutedService extends Pick<ServiceSpec, 'name' | 'ports' | 'traffic' | 'delivery'> {
  readonly versions: readonly Pick<VersionSpec, 'name' | 'weight'>[];
  readonly canary: Pick<ServiceSpec['canary'], 'header'>;
}

/** Traffic props with every default applied. */
export interface ServiceTrafficSettings extends RoutedService, Pick<ServiceSpec, 'component' | 'trafficPolicy'> {
  readonly platform: PlatformIdentity;
  readonly mesh: { readonly dataPlane: DataPlane; readonly gatewayApiChannel: GatewayApiChannel };
}

/** The props with the schema's defaults; throws an `Error` naming the construct, the field and the fix. */
export function resolveTraffic(context: PropsContext, props: ServiceTrafficProps): ServiceTrafficSettings {
  const fail = (message: string): never => { throw propsError(context, message); };
  const versions = props.versions.map((version) => ({ name: version.name, weight: version.weight ?? (props.versions.length === 1 ? 100 : 0) }));
  if (versions.length === 0) fail('versions: none given; route to at least one version');
  const total = versions.reduce((sum, version) => sum + version.weight, 0);
  if (total !== 100) {
    fail(`versions: weights must add up to 100 (got ${versions.map((version) => version.weight).join(' + ')} = ${total}); give each version its share`);
  }
  const field = serviceField(context);
  // The canary's header is the props' `header`, so its errors name `header.<field>`.
  const canary = withDefaults(context, '', serviceSchema.shape.canary, { header: props.header });
  const traffic = field('traffic', props.traffic);
  const declared = versions.map((version) => version.name);
  const references = [['header.version', canary.header?.version], ['traffic.mirror.version', traffic.mirror?.version]] as const;
  for (const [field, version] of references) {
    if (version !== undefined && !declared.includes(version)) fail(`${field}: version "${version}" is not among the versions (${declared.join(', ')}); declare it or name one of them`);
  }
  return {
    platform: placement(context, props),
    name: field('name', props.name),
    component: field('component', props.component),
    ports: field('ports', props.ports),
    versions,
    canary: { header: canary.header },
    traffic,
    trafficPolicy: field('trafficPolicy', props.trafficPolicy),
    delivery: field('delivery', props.delivery),
    mesh: { dataPlane: props.dataPlane ?? 'sidecar', gatewayApiChannel: props.gatewayApiChannel ?? 'standard' },
  };
}
