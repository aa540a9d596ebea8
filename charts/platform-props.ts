/**
 * The constructs' props from the resolved description: the only place where the platform's description meets the
 * constructs' narrow props, so the description stays the one place a platform is configured.
 */
import { resolveWorkload, type MicroserviceProps, type Workload } from '../src/constructs/microservice-props';
import type { PlatformSpec, ServiceSpec } from '../src/description/types';
import type { ServiceTrafficProps } from '../src/mesh/traffic-props';
import type { AccessPoliciesProps } from '../src/mesh/access-props';
import type { IngressProps } from '../src/mesh/ingress-props';
import type { PlatformNamespaceProps } from '../src/constructs/platform-namespace';
import type { NetworkPoliciesProps } from '../src/constructs/network-policies';
import { ingressPods } from '../src/description/names/mesh';
import { calleesOf } from '../src/description/call-graph';

/** Namespace and `part-of` name of every object of the platform. */
export const platformPlacement = (platform: PlatformSpec) => ({ namespace: platform.namespace, partOf: platform.name });

/** The named fields of a service, as the constructs' props take them unchanged. */
function fieldsOf<K extends keyof ServiceSpec>(service: ServiceSpec, keys: readonly K[]): Pick<ServiceSpec, K> {
  return Object.fromEntries(keys.map((key) => [key, service[key]])) as Pick<ServiceSpec, K>;
}

/** A service's `Microservice` (and `ServiceVersion`) props. */
export function microserviceProps(platform: PlatformSpec, service: ServiceSpec): MicroserviceProps {
  return {
    ...platformPlacement(platform),
    ...fieldsOf(service, [
      'name', 'component', 'versions', 'ports', 'config', 'secret', 'database', 'resources', 'autoscaling', 'health', 'shutdown', 'rollout', 'delivery',
    ]),
    // In the platform's order, which the pods' environment keeps.
    calls: calleesOf(platform, service).map((callee) => ({ name: callee.name, port: callee.ports[0].port })),
    // Production pods wait for their Secret; elsewhere a service without it runs in its sandbox mode.
    secretRequired: platform.production,
    dataPlane: platform.mesh.dataPlane,
    environment: platform.environment,
    observability: platform.observability,
  };
}

/** A service's settings as its `Microservice` resolves them, for what is built outside a chart (the local Compose file). */
export const platformWorkload = (platform: PlatformSpec, service: ServiceSpec): Workload =>
  resolveWorkload({ kind: 'Microservice', path: service.name }, microserviceProps(platform, service));

/** A service's `IstioServiceTraffic` or `GatewayApiServiceTraffic` props. */
export function serviceTrafficProps(platform: PlatformSpec, service: ServiceSpec): ServiceTrafficProps {
  return {
    ...platformPlacement(platform),
    ...fieldsOf(service, ['name', 'component', 'ports', 'versions', 'traffic', 'trafficPolicy', 'delivery']),
    header: service.canary.header,
    dataPlane: platform.mesh.dataPlane,
    gatewayApiChannel: platform.mesh.gatewayApiChannel,
  };
}

/** The namespace's `SidecarAccessPolicies` or `AmbientAccessPolicies` props. */
export function accessPoliciesProps(platform: PlatformSpec): AccessPoliciesProps {
  return {
    ...platformPlacement(platform),
    services: platform.services,
    ingressPrincipal: ingressPods(platform).principal,
    ...(platform.jwt ? { jwt: platform.jwt } : {}),
  };
}

/** The environment's `IstioIngress` or `GatewayApiIngress` props. */
export function ingressProps(platform: PlatformSpec): IngressProps {
  return {
    ...platformPlacement(platform),
    services: platform.services.map((service) => ({ ...serviceTrafficProps(platform, service), expose: service.expose })),
    gateway: platform.gateway,
    ...(platform.jwt ? { jwt: platform.jwt } : {}),
    gatewayApiChannel: platform.mesh.gatewayApiChannel,
  };
}

/** The environment's `PlatformNamespace` props. */
export const namespaceProps = (platform: PlatformSpec): PlatformNamespaceProps => ({
  ...platformPlacement(platform),
  dataPlane: platform.mesh.dataPlane,
  istioCni: platform.istio.cni,
  environment: platform.environment,
  production: platform.production,
  gatewayApiChannel: platform.mesh.gatewayApiChannel,
});

/** The environment's `NetworkPolicies` props. */
export const networkPoliciesProps = (platform: PlatformSpec): NetworkPoliciesProps => ({
  ...platformPlacement(platform),
  services: platform.services,
  mesh: platform.mesh,
  gateway: platform.gateway,
  ...(platform.observability.prometheus ? { prometheus: platform.observability.prometheus } : {}),
});
