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

/** What {@link servicePodSelector} reads of a service. */
export interface DeliveredService {
  readonly name: string;
  readonly delivery: { readonly mode: 'static' | 'progressive' };
}

/**
 * Labels that select every pod of a service in this environment, for its policies, monitors and budget: `app` under
 * static delivery; under progressive delivery `app.kubernetes.io/name`, which both Flagger's `<name>-primary` pods
 * and the canary's carry (Flagger rewrites only the selector label `app` of the primary's pods, to `<name>-primary`).
 */
export function servicePodSelector(service: DeliveredService): Record<string, string> {
  return service.delivery.mode === 'progressive' ? { 'app.kubernetes.io/name': service.name } : serviceSelector(service.name);
}

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

// --- Mesh modes (src/spec/modes.ts): the Gateway API and ambient names -------------------------------------------

/** Gateway API group of `Gateway` and `HTTPRoute`, as parentRefs and targetRefs name it. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** GatewayClass of Istio's ingress gateways (Istio deploys a Deployment and Service per Gateway). */
export const INGRESS_GATEWAY_CLASS = 'istio';
/** GatewayClass of Istio's waypoint proxies. */
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';
/** The one waypoint of an ambient namespace (the name `istioctl waypoint apply` gives it). */
export const WAYPOINT_NAME = 'waypoint';
/** Namespace label that puts a namespace's pods in ambient mode. */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';

/**
 * Namespace label naming the Gateway API channel the namespace's Gateway API objects are written for (`experimental`;
 * absent: `standard`), so the validator checks them against that channel's CRDs (src/validation/annotations.ts).
 */
export const GATEWAY_API_CHANNEL_LABEL = 'mesh-platform.io/gateway-api-channel';
/** Service (or namespace) label naming the waypoint that handles its L7 traffic. */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** Label Istio puts on the pods it deploys for a Gateway API Gateway. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** Labels of the pods Istio deploys for a Gateway API Gateway (ingress or waypoint), as its templates set them. */
export const gatewayPodSelector = (gateway: string) => ({ [GATEWAY_NAME_LABEL]: gateway });

/**
 * Deployment and Service Istio creates for a Gateway API Gateway: `<gateway>-<gatewayClassName>`, e.g.
 * `shop-gateway-istio` (istio/istio, pilot/pkg/config/kube/gateway: `getDefaultName`).
 */
export const gatewayDeploymentName = (gateway: string, gatewayClass: string) => `${gateway}-${gatewayClass}`;

/**
 * Port of HBONE, the mTLS tunnel ztunnel and waypoints speak: in ambient, every connection between mesh pods arrives on
 * it, whatever the application port inside (istio.io, "Ambient and Kubernetes NetworkPolicy").
 */
export const HBONE_PORT = 15008;
/** Port of the status (readiness) endpoint of the Envoy pods Istio deploys for a Gateway, also on their Service. */
export const PROXY_STATUS_PORT = 15021;
/** Port where Istio's Envoy pods (sidecars, gateways, waypoints) serve Prometheus metrics (`prometheus.io/port`). */
export const PROXY_METRICS_PORT = 15020;
/** istiod's xDS and certificate port, which every Envoy of the mesh dials. */
export const ISTIOD_PORT = 15012;
/**
 * Source address of kubelet probes to ambient pods: Istio's CNI SNATs them to this link-local address so that ztunnel
 * can tell them apart (istio.io, "Ambient, health probes, and Kubernetes NetworkPolicy").
 */
export const AMBIENT_PROBE_SOURCE = '169.254.7.127/32';

/** Namespace of istiod (and of the ingress gateway Istio routing uses by default). */
export const ISTIO_NAMESPACE = 'istio-system';
/** Labels of istiod's pods. */
export const ISTIOD_SELECTOR: Readonly<Record<string, string>> = { app: 'istiod' };

/**
 * Service that selects one version's pods, the backend of HTTPRoutes (which cannot use DestinationRule subsets), e.g.
 * `order-service-v2`. It shares the Deployment's name.
 */
export const versionServiceName = (service: string, version: string) => `${service}-${version}`;

/** Gateway annotation naming the ServiceAccount of the pods Istio deploys for it (the platform creates that account). */
export const GATEWAY_SERVICE_ACCOUNT_ANNOTATION = 'gateway.istio.io/service-account';

/**
 * ServiceAccount of the pods Istio deploys for a Gateway API Gateway (ingress or waypoint): the Gateway's own name, set
 * by {@link GATEWAY_SERVICE_ACCOUNT_ANNOTATION} and created with the Gateway, so its principal exists in the output.
 */
export const gatewayServiceAccount = (gateway: string) => gateway;

/** What the ingress names depend on: the routing API and the gateway settings. */
export interface IngressIdentity extends PlatformIdentity {
  readonly mesh: { readonly routing: 'istio' | 'gateway-api'; readonly dataPlane: 'sidecar' | 'ambient' };
  readonly gateway: { readonly name: string; readonly namespace: string; readonly serviceAccount: string; readonly selector: Readonly<Record<string, string>> };
}

/**
 * Where the ingress gateway pods run and what identifies them: Istio's installed gateway (`gateway.namespace`,
 * `.selector`, `.serviceAccount`) with Istio routing; with the Gateway API, the pods Istio deploys for the platform's
 * Gateway in the platform's namespace.
 */
export function ingressPods(platform: IngressIdentity): { namespace: string; selector: Record<string, string>; principal: string } {
  if (platform.mesh.routing === 'istio') {
    const { namespace, selector, serviceAccount } = platform.gateway;
    return { namespace, selector: { ...selector }, principal: principal(namespace, serviceAccount) };
  }
  const name = platform.gateway.name;
  return {
    namespace: platform.namespace,
    selector: gatewayPodSelector(name),
    principal: principal(platform.namespace, gatewayServiceAccount(name)),
  };
}

/**
 * The Service Istio creates for the platform's ingress Gateway under Gateway API routing (`<gateway>-istio` in the
 * platform namespace); its Gateway's `status.addresses` holds the external address.
 */
export const ingressGatewayService = (platform: Pick<IngressIdentity, 'namespace' | 'gateway'>) =>
  ({ namespace: platform.namespace, name: gatewayDeploymentName(platform.gateway.name, INGRESS_GATEWAY_CLASS) });

/** Principal of the namespace's waypoint, the caller every ambient workload's ztunnel sees for L7 traffic. */
export const waypointPrincipal = (platform: PlatformIdentity) =>
  principal(platform.namespace, gatewayServiceAccount(WAYPOINT_NAME));

/** Service label that sends the ingress gateway's traffic through the Service's waypoint (ambient). */
export const INGRESS_USE_WAYPOINT_LABEL = 'istio.io/ingress-use-waypoint';

/** Labels of a service's Service in this mode: in ambient, the waypoint that handles its L7 traffic. */
export function meshServiceLabels(platform: Pick<IngressIdentity, 'mesh'>): Record<string, string> {
  return platform.mesh.dataPlane === 'ambient' ? { [USE_WAYPOINT_LABEL]: WAYPOINT_NAME } : {};
}

/** The HTTPRoute that attaches an exposed service to the ingress Gateway. */
export const ingressRouteName = (service: string) => `${service}-ingress`;

// --- Observability (src/observability): monitors, rules, alert routing, dashboards --------------------------------

/** Path of the Prometheus stats of Istio's Envoy pods on {@link PROXY_METRICS_PORT} (with sidecars: merged with the app's). */
export const PROXY_METRICS_PATH = '/stats/prometheus';
/** Container port name Istio's injection gives the sidecar's Envoy stats (15090); the monitors select the container by it. */
export const ENVOY_STATS_PORT_NAME = 'http-envoy-prom';
/** Labels of ztunnel's pods, in Istio's namespace (ambient's L4 metrics). */
export const ZTUNNEL_SELECTOR: Readonly<Record<string, string>> = { app: 'ztunnel' };
/**
 * The pod label that tells a service's workloads apart: its value is the service's name, except on Flagger's primary
 * pods, where Flagger rewrites it to `<name>-primary` (the primary and canary pods of a progressive service share
 * their `version`).
 */
export const WORKLOAD_LABEL = 'app';
/** Pod labels the PodMonitors copy onto every series (`podTargetLabels`): the service and version, as Istio names them. */
export const COPIED_POD_LABELS = [WORKLOAD_LABEL, 'version'] as const;
/** PodMonitor and PrometheusRule of a service. */
export const serviceMonitorName = (service: string) => service;
/** The UID of a service's Grafana dashboard (also its URL path `/d/<uid>`). */
export const dashboardUid = (platform: PlatformIdentity, service: string) => `${platform.name}-${service}`;
/** The HorizontalPodAutoscaler KEDA creates and owns for a ScaledObject (KEDA's default name). */
export const kedaAutoscalerName = (scaledObject: string) => `keda-hpa-${scaledObject}`;
/** ConfigMap carrying a Grafana dashboard for the dashboard sidecar. */
export const dashboardConfigMapName = (dashboardUid: string) => `${dashboardUid}-dashboard`;
/** The UID of the platform's overview dashboard. */
export const overviewDashboardUid = (platform: PlatformIdentity) => `${platform.name}-overview`;
/** Secret holding the Alertmanager webhook URL (created by Pulumi from secret config, never synthesized). */
export const alertWebhookSecretName = (platform: PlatformIdentity) => `${platform.name}-alert-webhook`;
/** Key of the webhook URL in {@link alertWebhookSecretName}. */
export const ALERT_WEBHOOK_URL_KEY = 'url';
