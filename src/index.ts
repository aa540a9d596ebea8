/**
 * The library: the platform's constructs, to compose into a cdk8s chart of your own (narrow props, typed handles to
 * what each created), the platform chart for a resolved description, and the description's model. Loads no
 * configuration of its own: resolving and synthesizing this repository's environments (`synthesizePlatform`,
 * `loadPlatformSpec`) is the separate entry src/platform.ts.
 */
// Workloads and the namespace.
export { Microservice } from './constructs/microservice';
export { ServiceVersion } from './constructs/service-version';
export type { CalledService, DataPlane, MicroserviceProps, MicroserviceVersion, ServiceVersionProps } from './constructs/microservice-props';
export { PlatformNamespace, podSecurityLabels, type PlatformNamespaceProps } from './constructs/platform-namespace';
export { NetworkPolicies, type NetworkPoliciesProps, type PrometheusSpec } from './constructs/network-policies';
export type { GatewayProps, NamespaceService } from './constructs/namespace-props';
export type { PlacementProps } from './constructs/placement';
// The mesh: traffic, access, ingress, telemetry; one construct per mode, one props interface per concern.
export { IstioServiceTraffic } from './mesh/istio-service-traffic';
export { GatewayApiServiceTraffic } from './mesh/gateway-api/service-traffic';
export type { ServiceTrafficProps, TrafficVersion } from './mesh/traffic-props';
export { httpRoutes, type RouteMount } from './mesh/http-routes';
export { SidecarAccessPolicies } from './mesh/access-policies';
export { AmbientAccessPolicies } from './mesh/ambient/access-policies';
export type { AccessPoliciesProps } from './mesh/access-props';
export { IstioIngress } from './mesh/istio-ingress';
export { GatewayApiIngress } from './mesh/gateway-api/ingress';
export type { IngressProps, IngressService } from './mesh/ingress-props';
export { Waypoint } from './mesh/ambient/waypoint';
export { MeshTelemetry, type MeshTelemetryProps } from './mesh/telemetry';
// The platform chart of a resolved description (`resolvePlatformSpec`), and the description's model.
export { PlatformChart, type PlatformChartProps } from '../charts/platform-chart';
export * from './description';
export { validateObjects } from './validation';
