/**
 * Every name, label, host and principal the platform derives, in one place, so that a Service selector, a
 * DestinationRule subset and an AuthorizationPolicy principal cannot drift apart.
 */

/** `app.kubernetes.io/managed-by` of every object. */
export const MANAGED_BY = 'cdk8s';

/** Where secret files are mounted in every pod. */
export const SECRETS_MOUNT_PATH = '/var/run/secrets/app';

/** UID and GID every container runs as (distroless "nonroot"). */
export const NONROOT_ID = 65532;

/** Minimal identity of a platform, enough to derive names. */
export interface PlatformIdentity {
  /** Platform name (`app.kubernetes.io/part-of`). */
  readonly name: string;
  /** Namespace of the services. */
  readonly namespace: string;
}

/** Deployment name of one version, e.g. `order-service-v2`. */
export const deploymentName = (service: string, version: string) => `${service}-${version}`;
/** ServiceAccount of a service: its mTLS identity. */
export const serviceAccountName = (service: string) => service;
/** ConfigMap with a service's non-secret settings. */
export const configMapName = (service: string) => `${service}-config`;
/** Secret a service's pods mount. */
export const secretName = (service: string) => `${service}-secrets`;

/** Environment variable the services read their database URL from; the pods get `<it>_FILE`. */
export const DATABASE_URL_ENV = 'DATABASE_URL';
/** Where a service's database URL Secret is mounted, and the Secret's key (the file name). */
export const DATABASE_MOUNT_PATH = '/var/run/secrets/database';
export const DATABASE_URL_KEY = 'url';
/** Secret holding a service's database URL (created by Pulumi, never synthesized). */
export const databaseSecretName = (service: string) => `${service}-database`;
/** Default database (and in-cluster role) name of a service: `order-service` → `order_service`. */
export const defaultDatabaseName = (service: string) => service.replace(/-/g, '_');
/** The in-cluster PostgreSQL server: its StatefulSet, headless Service, ServiceAccount and Secret. */
export const postgresServerName = (platform: string) => `${platform}-postgres`;
/** ConfigMap with the in-cluster server's init script. */
export const postgresInitName = (platform: string) => `${platform}-postgres-init`;
/** Port of the in-cluster PostgreSQL server. */
export const POSTGRES_PORT = 5432;

/** Labels a Service selects on: all versions of the service. */
export const serviceSelector = (service: string) => ({ app: service });

/** Labels that select one version's pods (Deployment selector, DestinationRule subset with the host's selector). */
export const versionSelector = (service: string, version: string) => ({ app: service, version });

/** Standard labels on every object that belongs to a service. */
export function serviceLabels(platform: PlatformIdentity, service: string, component: string): Record<string, string> {
  return {
    app: service,
    'app.kubernetes.io/name': service,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': platform.name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** Labels of one version's Deployment and pods: the service's, plus Istio's `version` and the instance. */
export function versionLabels(platform: PlatformIdentity, service: string, component: string, version: string): Record<string, string> {
  return {
    ...serviceLabels(platform, service, component),
    version,
    'app.kubernetes.io/instance': deploymentName(service, version),
    'app.kubernetes.io/version': version,
  };
}

/** Labels of platform-wide objects (namespace, gateway, policies). */
export function platformLabels(platform: PlatformIdentity): Record<string, string> {
  return { 'app.kubernetes.io/part-of': platform.name, 'app.kubernetes.io/managed-by': MANAGED_BY };
}

/** Cluster-local FQDN of a service, used as the Istio host everywhere. */
export const serviceHost = (platform: PlatformIdentity, service: string) => `${service}.${platform.namespace}.svc.cluster.local`;

/** In-cluster URL another service uses to call this one. */
export const serviceUrl = (platform: PlatformIdentity, service: string, port: number) => `http://${serviceHost(platform, service)}:${port}`;

/** Environment variable carrying a callee's URL, e.g. `PAYMENT_SERVICE_URL`. */
export const serviceUrlEnv = (service: string) => `${service.toUpperCase().replace(/-/g, '_')}_URL`;

/** SPIFFE principal of a ServiceAccount as Istio's AuthorizationPolicy names it. */
export const principal = (namespace: string, serviceAccount: string) => `cluster.local/ns/${namespace}/sa/${serviceAccount}`;
