/** The library: resolve and synthesize the platform, or compose its constructs into a chart of your own. */
export { PlatformChart, type PlatformChartProps } from '../charts/platform-chart';
export { Microservice, type MicroserviceProps } from './constructs/microservice';
export { GatewayNetworkPolicies } from './constructs/gateway-network-policies';
export { NetworkPolicies } from './constructs/network-policies';
export { PlatformNamespace, podSecurityLabels } from './constructs/platform-namespace';
export type { PlatformProps } from './constructs/platform-props';
export { ServiceVersion, type ServiceVersionProps } from './constructs/service-version';
export { AccessPolicies, allowedPrincipals } from './mesh/access-policies';
export { httpRoutes, type RouteMount } from './mesh/http-routes';
export { Ingress } from './mesh/ingress';
export { ServiceTraffic, type ServiceTrafficProps } from './mesh/service-traffic';
export { MeshTelemetry } from './mesh/telemetry';
export * from './description';
export { validateObjects } from './validation';
