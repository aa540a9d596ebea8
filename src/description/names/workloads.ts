/** Names, hosts and principals derived from a service: its Deployments, Services, accounts, ConfigMap and Secret. */

/** Minimal identity of a platform, enough to derive names. */
export interface PlatformIdentity {
  /** Platform name (`app.kubernetes.io/part-of`). */
  readonly name: string;
  /** Namespace of the services. */
  readonly namespace: string;
}

/** Deployment name of one version, e.g. `order-service-v2`. */
export const deploymentName = (service: string, version: string) => `${service}-${version}`;
/** The one Deployment of a progressively delivered service: the service's name (Flagger's targetRef). */
export const progressiveDeploymentName = (service: string) => service;
/** The Deployment of a service's version in its delivery mode: `<name>-<version>`, or `<name>` under progressive delivery. */
export const workloadName = (service: DeliveredService, version: string) =>
  (service.delivery.mode === 'progressive' ? progressiveDeploymentName(service.name) : deploymentName(service.name, version));
/** What Flagger names the primary's Deployment, Service and autoscaler (`<name>-primary`), and the canary's Service (v1.44.0). */
export const primaryName = (service: string) => `${service}-primary`;
export const canaryServiceName = (service: string) => `${service}-canary`;
/** ServiceAccount of a service: its mTLS identity. */
export const serviceAccountName = (service: string) => service;
/** ConfigMap with a service's non-secret settings. */
export const configMapName = (service: string) => `${service}-config`;
/** Secret a service's pods mount. */
export const secretName = (service: string) => `${service}-secrets`;

/** What {@link servicePodSelector} reads of a service. */
export interface DeliveredService {
  readonly name: string;
  readonly delivery: { readonly mode: 'static' | 'progressive' };
}

/** Cluster-local FQDN of a service, used as the Istio host everywhere. */
export const serviceHost = (platform: PlatformIdentity, service: string) => `${service}.${platform.namespace}.svc.cluster.local`;

/** In-cluster URL another service uses to call this one. */
export const serviceUrl = (platform: PlatformIdentity, service: string, port: number) => `http://${serviceHost(platform, service)}:${port}`;

/** Environment variable carrying a callee's URL, e.g. `PAYMENT_SERVICE_URL`. */
export const serviceUrlEnv = (service: string) => `${service.toUpperCase().replace(/-/g, '_')}_URL`;

/** SPIFFE principal of a ServiceAccount as Istio's AuthorizationPolicy names it. */
export const principal = (namespace: string, serviceAccount: string) => `cluster.local/ns/${namespace}/sa/${serviceAccount}`;

/**
 * Service that selects one version's pods, the backend of HTTPRoutes (which cannot use DestinationRule subsets), e.g.
 * `order-service-v2`. It shares the Deployment's name.
 */
export const versionServiceName = (service: string, version: string) => `${service}-${version}`;
