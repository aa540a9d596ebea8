/** The library: resolve and synthesize the platform, or compose its constructs into a chart of your own. */
export { PlatformChart, type PlatformChartProps } from '../charts/platform-chart';
export { Microservice } from './constructs/microservice';
export type { MicroserviceProps, ServiceVersionProps } from './constructs/microservice-props';
export { GatewayNetworkPolicies } from './constructs/gateway-network-policies';
export { NetworkPolicies } from './constructs/network-policies';
export { PlatformNamespace, podSecurityLabels } from './constructs/platform-namespace';
export type { PlatformProps } from './constructs/platform-props';
export { ServiceVersion } from './constructs/service-version';
export { SidecarAccessPolicies } from './mesh/access-policies';
export { httpRoutes, type RouteMount } from './mesh/http-routes';
export { IstioIngress } from './mesh/istio-ingress';
export { IstioServiceTraffic } from './mesh/istio-service-traffic';
export { MeshTelemetry } from './mesh/telemetry';
export { addPlatformChart, loadPlatformSpec, synthesizePlatform, type PlatformOptions, type SynthesizedPlatform } from './platform';
export * from './description';
export { validateObjects } from './validation';
