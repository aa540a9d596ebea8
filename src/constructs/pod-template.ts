/**
 * The pod template of one service version: hardened to the Pod Security Standards "restricted" profile, probed,
 * resourced, spread, and shut down gracefully. cdk8s-plus-27 cannot express seccomp, capability drops, topology spread
 * or quantities as written by users, so the template is built here, once, from the typed L1 API.
 */
import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-27';
import { NONROOT_ID, SECRETS_MOUNT_PATH } from '../description/names/pod';
import { configMapName, serviceAccountName, serviceUrl, serviceUrlEnv } from '../description/names/workloads';
import { versionLabels, versionSelector } from '../description/names/labels';
import type { MicroserviceVersion, Workload } from './microservice-props';
import { METRICS_PATH } from '../../services/kit/metric-vocabulary';
import { otelEnvironment } from '../observability/tracing';
import { databaseMount } from './database-mount';
import { containerResources, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './restricted';

const TMP_VOLUME = 'tmp';
const SECRETS_VOLUME = 'secrets';
const SECONDS_PER_STARTUP_CHECK = 2;

/** Environment variables every service receives: its version, port, shutdown timings, callee URLs, secret files and tracing. */
function environment(service: Workload, version: MicroserviceVersion): k8s.EnvVar[] {
  const { platform } = service;
  const port = service.ports[0].port;
  const values: Record<string, string> = {
    PORT: String(port),
    SERVICE_VERSION: version.name,
    SHUTDOWN_DELAY_MS: String(service.shutdown.delaySeconds * 1000),
    SHUTDOWN_TIMEOUT_MS: String(service.shutdown.drainSeconds * 1000),
    ...Object.fromEntries(service.calls.map((callee) => [serviceUrlEnv(callee.name), serviceUrl(platform, callee.name, callee.port)])),
    ...Object.fromEntries((service.secret?.keys ?? []).map(({ key, env }) => [`${env}_FILE`, `${SECRETS_MOUNT_PATH}/${key}`])),
    ...databaseMount(service).env,
    ...otelEnvironment({ ...platform, environment: service.environment, observability: service.observability }, service, version),
    ...version.env,
  };
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}

/** The port the kubelet probes: the service's first (the NetworkPolicies admit the probes there in ambient). */
export const probePort = (service: Pick<Workload, 'ports'>) => service.ports[0];

function probes(service: Workload): Pick<k8s.Container, 'startupProbe' | 'livenessProbe' | 'readinessProbe'> {
  const port = k8s.IntOrString.fromString(probePort(service).name);
  const httpGet = (path: string) => ({ path, port });
  return {
    startupProbe: {
      httpGet: httpGet(service.health.liveness),
      periodSeconds: SECONDS_PER_STARTUP_CHECK,
      failureThreshold: Math.ceil(service.health.startupSeconds / SECONDS_PER_STARTUP_CHECK),
      timeoutSeconds: 1,
    },
    livenessProbe: { httpGet: httpGet(service.health.liveness), periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
    readinessProbe: { httpGet: httpGet(service.health.readiness), periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 },
  };
}

/** Prefer spreading a version's pods across nodes and zones (kube-linter wants anti-affinity, not only spread). */
function spreading(service: Workload, version: MicroserviceVersion): Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'> {
  if (service.autoscaling.maxReplicas < 2) return {};
  const labelSelector = { matchLabels: versionSelector(service.name, version.name) };
  return {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector } },
        ],
      },
    },
    topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
      topologyKey, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector,
    })),
  };
}

/** Seconds Kubernetes waits after SIGTERM: the unready delay, the drain, and a margin for the process to exit. */
export function terminationGracePeriodSeconds(service: Pick<Workload, 'shutdown'>): number {
  return service.shutdown.delaySeconds + service.shutdown.drainSeconds + 5;
}

/** Hash of the service's settings, so that changing a ConfigMap value rolls the pods. */
function configChecksum(service: Workload): string {
  return createHash('sha256').update(JSON.stringify(service.config)).digest('hex').slice(0, 16);
}

/** The complete pod template of one version. */
export function podTemplate(service: Workload, version: MicroserviceVersion): k8s.PodTemplateSpec {
  const { platform } = service;
  const drainSeconds = service.shutdown.delaySeconds + service.shutdown.drainSeconds;
  const hasConfig = Object.keys(service.config).length > 0;
  const database = databaseMount(service);
  return {
    metadata: {
      labels: versionLabels(platform, service.name, service.component, version.name),
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(service.ports[0].port),
        'prometheus.io/path': METRICS_PATH,
        // The sidecar starts before the app and keeps serving until the app has drained (ambient pods have no sidecar).
        ...(service.dataPlane === 'sidecar'
          ? { 'proxy.istio.io/config': JSON.stringify({ holdApplicationUntilProxyStarts: true, terminationDrainDuration: `${drainSeconds}s` }) }
          : {}),
        ...(hasConfig ? { 'checksum/config': configChecksum(service) } : {}),
      },
    },
    spec: {
      serviceAccountName: serviceAccountName(service.name),
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: terminationGracePeriodSeconds(service),
      securityContext: restrictedPodSecurityContext(NONROOT_ID),
      ...spreading(service, version),
      containers: [
        {
          name: service.name,
          image: version.image,
          imagePullPolicy: 'IfNotPresent',
          ports: service.ports.map((port) => ({ name: port.name, containerPort: port.port, protocol: 'TCP' })),
          env: environment(service, version),
          envFrom: hasConfig ? [{ configMapRef: { name: configMapName(service.name) } }] : undefined,
          resources: containerResources(service.resources),
          ...probes(service),
          securityContext: restrictedContainerSecurityContext(NONROOT_ID),
          volumeMounts: [
            { name: TMP_VOLUME, mountPath: '/tmp' },
            ...(service.secret ? [{ name: SECRETS_VOLUME, mountPath: SECRETS_MOUNT_PATH, readOnly: true }] : []),
            ...database.volumeMounts,
          ],
        },
      ],
      volumes: [
        { name: TMP_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
        // Outside production the Secret may be missing (no value configured): the service then runs in its sandbox
        // mode instead of the pod waiting for the volume. Production requires it (the Pulumi program checks the values).
        ...(service.secret ? [{ name: SECRETS_VOLUME, secret: { secretName: service.secret.name, defaultMode: 0o440, optional: !service.secretRequired } }] : []),
        ...database.volumes,
      ],
    },
  };
}
