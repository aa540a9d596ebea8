/**
 * The props of the ingress, one interface for both routing APIs (`IstioIngress`, `GatewayApiIngress`): the exposed
 * services and their routes, the gateway and the JWT issuer; and their resolution, with the description's defaults.
 */
import type { GatewayApiChannel } from '../description/modes';
import type { PlatformIdentity } from '../description/names/workloads';
import type { PlatformSpec, ServiceDescription, ServiceSpec } from '../description/types';
import { resolveGateway, type GatewayProps, type GatewaySettings } from '../constructs/namespace-props';
import { serviceField } from '../constructs/defaults';
import { placement, type PlacementProps, type PropsContext } from '../constructs/placement';
import { resolveTraffic, type ServiceTrafficProps, type ServiceTrafficSettings } from './traffic-props';

/** A service behind the ingress: its routes (as its traffic construct's) and where it is exposed. */
export interface IngressService extends Omit<ServiceTrafficProps, keyof PlacementProps | 'trafficPolicy' | 'dataPlane' | 'gatewayApiChannel'>,
  Pick<ServiceDescription, 'expose'> {}

/** Props of `IstioIngress` and `GatewayApiIngress`. */
export interface IngressProps extends PlacementProps {
  /** The services; those with `expose` get a route at the gateway, with their canary weights, retries and timeouts. */
  readonly services: readonly IngressService[];
  /**
   * The gateway (see the description's `gateway`): name, hosts, TLS credential, and for Istio routing the installed
   * gateway's pods (`selector`, `namespace`). @default "<partOf>-gateway" for every host, HTTP only, Istio's ingress gateway
   */
  readonly gateway?: GatewayProps;
  /** JWT validation for the exposed prefixes with `expose.requireJwt`. @default none */
  readonly jwt?: PlatformSpec['jwt'];
  /** Gateway API channel of the cluster's CRDs (`experimental` adds HTTPRoute `retry`); Gateway API only. @default "standard" */
  readonly gatewayApiChannel?: GatewayApiChannel;
}

/** An exposed service, resolved. */
export type ExposedService = ServiceTrafficSettings & { readonly expose: NonNullable<ServiceSpec['expose']> };

/** Ingress props with every default applied; only the exposed services are kept. */
export interface IngressSettings {
  readonly platform: PlatformIdentity;
  readonly exposed: readonly ExposedService[];
  readonly gateway: GatewaySettings;
  readonly jwt?: PlatformSpec['jwt'];
  readonly gatewayApiChannel: GatewayApiChannel;
}

/** The props with the schema's defaults; each exposed service's routes are checked as its traffic construct's. */
export function resolveIngress(context: PropsContext, props: IngressProps): IngressSettings {
  const platform = placement(context, props);
  const exposed = props.services.flatMap((service): ExposedService[] => {
    const expose = serviceField(context, `services.${service.name}.`)('expose', service.expose);
    if (!expose) return [];
    return [{ ...resolveTraffic({ ...context, path: `${context.path}/services/${service.name}` }, { ...service, namespace: platform.namespace, partOf: platform.name }), expose }];
  });
  return {
    platform,
    exposed,
    gateway: resolveGateway(context, platform, props.gateway),
    ...(props.jwt ? { jwt: props.jwt } : {}),
    gatewayApiChannel: props.gatewayApiChannel ?? 'standard',
  };
}
