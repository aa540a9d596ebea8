/**
 * The platform description's schema: the one place where its shape, its defaults and its per-field checks live.
 *
 * `PlatformDescription` (what users write) is `z.input` of these schemas; `PlatformSpec` (what constructs get) is
 * `z.output`: complete, defaults applied. Cross-field rules (weights, references, bounds) are in `rules.ts`.
 */
import { z } from 'zod';
import { DURATION_PATTERN, DNS_LABEL_PATTERN, QUANTITY_PATTERN, ENV_NAME_PATTERN } from './formats';
import { isPinnedImage, REGISTRY_PATH_FORM, registryPathProblem } from './image-grammar';
import { postgresServerSchema, serviceDatabaseSchema } from './database-schema';
import { meshModesSchema } from './modes';
import { observabilitySchema, serviceSloSchema, sloDefaultsSchema } from './observability-schema';
import { deliverySchema, environmentDeliverySchema } from './delivery-schema';
import { ENVIRONMENTS } from './environments';

const dnsLabel = (what: string) =>
  z.string().regex(DNS_LABEL_PATTERN, `${what} must be a lowercase DNS label (a-z, 0-9, '-'; at most 63 characters)`);
const duration = z.string().regex(DURATION_PATTERN, 'must be a duration such as "500ms", "2s", "1m" or "1h"');
const quantity = z.string().regex(QUANTITY_PATTERN, 'must be a Kubernetes quantity such as "250m", "1", "128Mi" or "1Gi"');
const percent = z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100');
const image = z.string().refine(isPinnedImage, 'must be registry/name:tag or registry/name@sha256:<digest>, never ":latest" or untagged');
/** A registry path by the image grammar; the issue says which part is wrong, and how a registry path is written. */
const registryPath = z.string().superRefine((path, context) => {
  const problem = registryPathProblem(path);
  if (problem) context.addIssue({ code: 'custom', message: problem, params: { fix: `write ${REGISTRY_PATH_FORM}` } });
});

const port = z.strictObject({
  /** Port name, unique in the service (Istio reads the protocol from `appProtocol`). */
  name: dnsLabel('port name').max(15, 'port name must be at most 15 characters'),
  /** Container and Service port number. */
  port: z.number().int().min(1).max(65535),
  /** Application protocol (Service `appProtocol`), used by Istio for protocol selection. @default "http" */
  appProtocol: z.enum(['http', 'http2', 'grpc', 'tcp']).default('http'),
});

const resources = z.strictObject({
  /** CPU request. @default "100m" */
  cpuRequest: quantity.default('100m'),
  /** CPU limit. @default "500m" */
  cpuLimit: quantity.default('500m'),
  /** Memory request. @default "128Mi" */
  memoryRequest: quantity.default('128Mi'),
  /** Memory limit. @default "256Mi" */
  memoryLimit: quantity.default('256Mi'),
});

const autoscaling = z.strictObject({
  /** Lowest replica count per version. @default 1 */
  minReplicas: z.number().int().min(1).default(1),
  /** Highest replica count per version. @default 3 */
  maxReplicas: z.number().int().min(1).default(3),
  /** Target average CPU utilization, percent of the request. @default 70 */
  cpuUtilization: z.number().int().min(1).max(100).default(70),
  /** Target average memory utilization, percent of the request. @default 80 */
  memoryUtilization: z.number().int().min(1).max(100).default(80),
  /** Scale-down stabilization window in seconds. @default 300 */
  scaleDownStabilizationSeconds: z.number().int().min(0).max(3600).default(300),
  /**
   * Scale on load instead: the requests per second one pod should serve. The version is then scaled by a KEDA
   * ScaledObject with a Prometheus trigger on its request rate (needs `observability.prometheus`) instead of the CPU
   * and memory HorizontalPodAutoscaler; min and max replicas and the scale-down window still apply.
   * @default none: CPU and memory utilization
   */
  requestsPerSecond: z.number().positive().optional(),
});

const health = z.strictObject({
  /** Liveness (and startup) probe path. @default "/healthz" */
  liveness: z.string().startsWith('/').default('/healthz'),
  /** Readiness probe path. @default "/readyz" */
  readiness: z.string().startsWith('/').default('/readyz'),
  /** Longest time the startup probe allows for the first successful liveness check, in seconds. @default 30 */
  startupSeconds: z.number().int().min(1).max(600).default(30),
});

const shutdown = z.strictObject({
  /** Seconds the pod stays up but unready after SIGTERM, so endpoints and Envoy stop routing to it. @default 5 */
  delaySeconds: z.number().int().min(0).max(60).default(5),
  /** Seconds in-flight requests get to finish after the delay. @default 10 */
  drainSeconds: z.number().int().min(1).max(300).default(10),
});

const rollout = z.strictObject({
  /** Deployment `strategy.rollingUpdate.maxSurge`. @default "25%" */
  maxSurge: z.union([z.number().int().min(0), z.string().regex(/^\d+%$/)]).default('25%'),
  /** Deployment `strategy.rollingUpdate.maxUnavailable`. @default 0 */
  maxUnavailable: z.union([z.number().int().min(0), z.string().regex(/^\d+%$/)]).default(0),
});

const version = z.strictObject({
  /** Version name: the `version` pod label and the DestinationRule subset name, e.g. "v1". */
  name: dnsLabel('version name'),
  /** Image of this version. @default the service's image reference for the environment (content-addressed) */
  image: image.optional(),
  /** Extra environment variables for this version only. @default {} */
  env: z.record(z.string().regex(ENV_NAME_PATTERN, 'must be an environment variable name'), z.string()).default({}),
});

const canary = z.strictObject({
  /** Traffic weight per version in percent; must add up to 100. @default 100 to the only version */
  weights: z.record(z.string(), z.number().int('weights must be whole percentages').min(0).max(100)).optional(),
  /** Requests carrying this header value go to one version regardless of weights (e.g. `x-canary: always`). */
  header: z
    .strictObject({
      /** Header name. @default "x-canary" */
      name: z.string().toLowerCase().default('x-canary'),
      /** Exact header value. @default "always" */
      value: z.string().min(1).default('always'),
      /** Version these requests go to. */
      version: z.string(),
    })
    .optional(),
});

const retries = z.strictObject({
  /** Retry attempts. Idempotent methods retry on 5xx and resets; others only when the request never reached the upstream. @default 2 */
  attempts: z.number().int().min(0).max(10).default(2),
  /** Timeout of each attempt. @default "1s" */
  perTryTimeout: duration.default('1s'),
});

const fault = z.strictObject({
  /** Delay injection (Istio `fault.delay`). */
  delay: z.strictObject({ percentage: percent, fixedDelay: duration }).optional(),
  /** Abort injection (Istio `fault.abort`). */
  abort: z.strictObject({ percentage: percent, httpStatus: z.number().int().min(200).max(599) }).optional(),
});

const mirror = z.strictObject({
  /** Version that receives a copy of live traffic (responses are discarded). */
  version: z.string(),
  /** Share of requests mirrored, percent. @default 100 */
  percentage: percent.default(100),
});

const trafficPolicy = z.strictObject({
  /** Istio `loadBalancer.simple`. @default "LEAST_REQUEST" */
  loadBalancer: z.enum(['LEAST_REQUEST', 'ROUND_ROBIN', 'RANDOM']).default('LEAST_REQUEST'),
  /** Istio `connectionPool` (circuit breaking by limits). */
  connectionPool: z
    .strictObject({
      /** TCP limits. */
      tcp: z
        .strictObject({
          /** @default 100 */ maxConnections: z.number().int().min(1).default(100),
          /** @default "1s" */ connectTimeout: duration.default('1s'),
        })
        .prefault({}),
      /** HTTP limits. */
      http: z
        .strictObject({
          /** @default 100 */ http1MaxPendingRequests: z.number().int().min(1).default(100),
          /** @default 1000 */ http2MaxRequests: z.number().int().min(1).default(1000),
          /** 0 means unlimited. @default 0 */ maxRequestsPerConnection: z.number().int().min(0).default(0),
          /**
           * Envoy closes upstream connections idle this long. Keep it below the services' keep-alive timeout (72 s,
           * Fastify's default), so that Envoy never reuses a connection the service is closing (a reset that a POST
           * may not be retried after). @default "60s"
           */
          idleTimeout: duration.default('60s'),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Istio `outlierDetection` (circuit breaking by ejection). */
  outlierDetection: z
    .strictObject({
      /** @default 5 */ consecutive5xxErrors: z.number().int().min(1).default(5),
      /** @default "10s" */ interval: duration.default('10s'),
      /** @default "30s" */ baseEjectionTime: duration.default('30s'),
      /** @default 50 */ maxEjectionPercent: z.number().int().min(0).max(100).default(50),
    })
    .prefault({}),
});

const traffic = z.strictObject({
  /** Route timeout (Istio `http[].timeout`). @default "3s" */
  timeout: duration.default('3s'),
  /** Retry policy. */
  retries: retries.prefault({}),
  /** Fault injection, for resilience drills; never allowed in production. @default none */
  fault: fault.optional(),
  /** Traffic mirroring to another version. @default none */
  mirror: mirror.optional(),
});

const expose = z.strictObject({
  /** Public path prefix at the ingress gateway, e.g. "/api/users". */
  prefix: z.string().regex(/^\/[a-z0-9/_-]*$/, 'must be a path prefix such as "/api/users"'),
  /** Prefix the service sees instead, e.g. "/users". @default the prefix itself (no rewrite) */
  rewrite: z.string().startsWith('/').optional(),
  /** Require a valid JWT on this prefix when the environment configures `jwt`. @default false */
  requireJwt: z.boolean().default(false),
});

const secretKey = z.strictObject({
  /** Key in the Kubernetes Secret, e.g. "provider-api-key". */
  key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret data key'),
  /** Environment variable the service reads; it gets `<ENV>_FILE` pointing at the mounted file. */
  env: z.string().regex(ENV_NAME_PATTERN, 'must be an environment variable name'),
});

/** One service of the platform. */
export const serviceSchema = z.strictObject({
  /** Service name: DNS label, unique in the platform; names the Service, ServiceAccount and Deployments. */
  name: dnsLabel('service name'),
  /** `app.kubernetes.io/component`. @default "backend" */
  component: z.string().default('backend'),
  /** Deployed versions, one Deployment each. */
  versions: z.array(version).min(1, 'at least one version is required'),
  /** Ports. @default one port named "http" on 8080 */
  ports: z.array(port).min(1).default([{ name: 'http', port: 8080, appProtocol: 'http' }]),
  /** Weighted routing across versions, and header routing (static delivery only). @default 100% to the only version */
  canary: canary.prefault({}),
  /**
   * How new versions roll out in this environment: `static` (the versions and `canary` weights, routed by the
   * platform) or `progressive` (one version; Flagger steps traffic to a new pod template while the SLOs hold and rolls
   * back when they don't; docs/delivery.md). @default { mode: "static" }
   */
  delivery: deliverySchema.prefault({ mode: 'static' }),
  /** Other services this one calls: allowed by AuthorizationPolicy, passed as `<NAME>_URL`. @default [] */
  calls: z.array(z.string()).default([]),
  /** Route at the ingress gateway. @default internal only */
  expose: expose.optional(),
  /** Non-secret settings, written to a ConfigMap and passed as environment variables. @default {} */
  config: z.record(z.string().regex(ENV_NAME_PATTERN, 'must be an environment variable name'), z.string()).default({}),
  /** Secret settings, mounted from a Secret as files. @default [] */
  secrets: z.array(secretKey).default([]),
  /**
   * Secret values written into the synthesized output. Only for throwaway local environments: elsewhere the Secret is
   * created by Pulumi from its secret config (or by hand), and the manifests only reference it.
   * @default none
   */
  secretValues: z.record(z.string(), z.string()).optional(),
  /**
   * A PostgreSQL database of the service's own, on the environment's `postgres` server: the pods get
   * `DATABASE_URL_FILE`, the path of a mounted file holding its `postgres://` URL, and may reach that server only.
   * @default none
   */
  database: serviceDatabaseSchema.optional(),
  /** Service level objectives: availability and latency; alerts fire when their error budget burns. @default the environment's `slo` */
  slo: serviceSloSchema.optional(),
  /** Container resources. */
  resources: resources.prefault({}),
  /** Horizontal autoscaling per version. */
  autoscaling: autoscaling.prefault({}),
  /** Health endpoints for the probes. */
  health: health.prefault({}),
  /** Graceful shutdown timings. */
  shutdown: shutdown.prefault({}),
  /** Rolling update. */
  rollout: rollout.prefault({}),
  /** Route behaviour (timeouts, retries, faults, mirroring). */
  traffic: traffic.prefault({}),
  /** DestinationRule traffic policy (load balancing, circuit breaking). */
  trafficPolicy: trafficPolicy.prefault({}),
});

/** The ingress gateway. */
const gateway = z.strictObject({
  /** Gateway object name. @default "<platform name>-gateway" */
  name: dnsLabel('gateway name').optional(),
  /** Hosts served. @default ["*"] */
  hosts: z.array(z.string().min(1)).min(1).default(['*']),
  /** TLS Secret (in the gateway's namespace) for HTTPS on 443; plain HTTP on 80 redirects to it. @default HTTP only */
  tlsCredentialName: z.string().optional(),
  /** Labels of the ingress gateway pods. @default { istio: "ingressgateway" } */
  selector: z.record(z.string(), z.string()).default({ istio: 'ingressgateway' }),
  /** Namespace of the ingress gateway pods. @default "istio-system" */
  namespace: dnsLabel('gateway namespace').default('istio-system'),
  /** ServiceAccount of the ingress gateway pods (its mTLS principal). @default "istio-ingressgateway" */
  serviceAccount: z.string().default('istio-ingressgateway'),
});

const jwt = z.strictObject({
  /** Token issuer (`iss`). */
  issuer: z.string().min(1),
  /** JWKS URL. */
  jwksUri: z.url({ message: 'must be an https URL of the issuer\'s JWKS' }),
  /** Accepted audiences. @default any */
  audiences: z.array(z.string()).optional(),
});


/** The whole platform, after environment overrides. */
export const platformSchema = z.strictObject({
  /** Platform name: `app.kubernetes.io/part-of` and the default namespace. */
  name: dnsLabel('platform name'),
  /** Namespace for all services. @default the platform name */
  namespace: dnsLabel('namespace').optional(),
  /** Environment name, set by the environment. */
  environment: z.enum(ENVIRONMENTS),
  /** Production: stricter rules (no fault injection, at least 2 replicas). @default false */
  production: z.boolean().default(false),
  /** Image registry and repository prefix, e.g. "registry.example.com/shop". */
  registry: registryPath,
  /** Istio integration. */
  istio: z
    .strictObject({
      /** Istio runs with its CNI plugin, so pods need no NET_ADMIN init container and the namespace can enforce the restricted profile. @default true */
      cni: z.boolean().default(true),
    })
    .prefault({}),
  /** Mesh modes: the data plane (sidecar or ambient) and the routing API (istio or gateway-api); see `modes.ts`. */
  mesh: meshModesSchema.prefault({}),
  /** NetworkPolicies: default deny plus what the mesh needs, in either data plane (docs/modes.md). @default false */
  networkPolicies: z.boolean().default(false),
  /**
   * Metrics, alerts and traces: where Prometheus, Alertmanager and the trace backend run, and the sampling rate.
   * With `observability.prometheus` and `networkPolicies`, the NetworkPolicies admit exactly its scrapes
   * (docs/observability.md). @default no Prometheus, no alert routing, no trace backend, 1% sampling
   */
  observability: observabilitySchema.prefault({}),
  /** Progressive delivery's cluster prerequisites (each service's own `delivery` says how it is delivered). */
  delivery: environmentDeliverySchema.prefault({}),
  /** The SLOs every service gets unless it sets its own `slo`. @default 99.5% available, 99% within 500 ms */
  slo: sloDefaultsSchema.prefault({}),
  /** The PostgreSQL server of the services that declare a `database`: in the cluster (development) or external. @default none */
  postgres: postgresServerSchema.optional(),
  /** JWT validation at the gateway for exposed routes with `requireJwt`. @default none */
  jwt: jwt.optional(),
  /** Ingress gateway. */
  gateway: gateway.prefault({}),
  /** The services. */
  services: z.array(serviceSchema).min(1, 'at least one service is required'),
});
