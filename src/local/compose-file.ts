/**
 * The Compose file of the local environment, derived from the resolved spec of one environment: pure (spec in,
 * object out). Each container gets what the pod of its Deployment gets, taken from the same pod template the
 * manifests are synthesized from (src/constructs/pod-template.ts): the image, the ConfigMap's values and the
 * container's own variables (SERVICE_VERSION, PORT, shutdown timings, the callees' URLs), the restricted security
 * settings, the resource limits, the grace period and the probes (as a healthcheck). The callees' URLs are the
 * manifests' own (`http://<service>.<namespace>.svc.cluster.local:<port>`): every container joins one network under
 * its service's name and that cluster host name, so they resolve as in the cluster.
 *
 * What differs from the manifests, on purpose: no mesh (Istio routing, mTLS, policies), one container per version,
 * ports published on 127.0.0.1, and storage in memory unless the database server is included (`DATABASE_URL_FILE` is
 * only set then). Secrets: the pods' secret file variables are kept; without a mounted file a service runs as with the
 * optional Secret missing (payment-service: sandbox mode).
 */
import { podTemplate } from '../constructs/pod-template';
import { platformWorkload } from '../../charts/platform-props';
import { DATABASE_MOUNT_PATH, DATABASE_URL_ENV, DATABASE_URL_KEY } from '../description/names/database';
import { serviceHost } from '../description/names/workloads';
import type { PlatformSpec } from '../description/types';
import type { ComposeFile, ComposeService } from './compose-types';
import { DEFAULT_BASE_PORT, localContainers, type LocalContainer } from './containers';
import type { DatabaseServer } from './database-server';
import { readinessHealthcheck } from './healthcheck';
import { limitSettings, literal, securitySettings, tmpfsMount } from './container-settings';
import type { TraceBackendContainer } from './trace-backend';

/** Label on every container: the environment it was generated from. */
export const ENVIRONMENT_LABEL = 'mesh-platform.environment';

/** Options of {@link composeFile}. */
export interface ComposeOptions {
  /** Host port of the first published port; the others follow (see `localContainers`); 0: Docker picks. @default 18080 */
  readonly basePort?: number;
  /**
   * The database server to run and, per service that uses it, the file holding its `postgres://` URL (relative to the
   * Compose file), mounted where the pods mount their database Secret (`DATABASE_URL_FILE` names it). Services
   * without a URL file keep their data in memory. @default none (all in memory)
   */
  readonly database?: { readonly server: DatabaseServer; readonly urlFiles: Readonly<Record<string, string>> };
  /**
   * The trace backend to run under the host name the environment's tracing names (`--tracing`); the services start
   * once it is healthy, so their first spans are kept. @default none (spans to an unresolvable host are dropped)
   */
  readonly traceBackend?: TraceBackendContainer;
}

/**
 * `depends_on` edges from the callers to their callees' containers (healthy first, so a caller's first request finds
 * its callees ready). An edge that would close a cycle of `calls` is left out: Compose refuses circular dependencies,
 * and the services do not need the order (they answer 503/504 while a callee is down).
 */
function dependencies(containers: readonly LocalContainer[]): Map<string, string[]> {
  const edges = new Map<string, Set<string>>();
  const reaches = (from: string, to: string): boolean => {
    const pending = [from];
    const seen = new Set<string>();
    for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
      if (node === to) return true;
      if (!seen.has(node)) pending.push(...(edges.get(node) ?? []));
      seen.add(node);
    }
    return false;
  };
  for (const { service } of containers) {
    for (const callee of service.calls) {
      if (callee === service.name || reaches(callee, service.name)) continue;
      edges.set(service.name, (edges.get(service.name) ?? new Set()).add(callee));
    }
  }
  return new Map(containers.map((container) => {
    const callees = edges.get(container.service.name) ?? new Set();
    return [container.name, containers.filter((other) => callees.has(other.service.name)).map((other) => other.name)];
  }));
}

function composeService(spec: PlatformSpec, container: LocalContainer, dependsOn: readonly string[], options: ComposeOptions): ComposeService {
  const { service, version } = container;
  const pod = podTemplate(platformWorkload(spec, service), version);
  const main = pod.spec?.containers[0];
  if (!main) throw new Error(`${container.name}: the pod template has no container`);
  const databaseFile = options.database?.urlFiles[service.name];
  // As Kubernetes builds the environment: envFrom (the ConfigMap, whose data is the service's config) first, then env.
  const environment: Record<string, string> = { ...(main.envFrom ? service.config : {}) };
  for (const variable of main.env ?? []) environment[variable.name] = variable.value ?? '';
  if (!databaseFile) delete environment[`${DATABASE_URL_ENV}_FILE`];
  const tmp = pod.spec?.volumes?.find((volume) => volume.emptyDir && main.volumeMounts?.some((m) => m.name === volume.name && m.mountPath === '/tmp'));
  const limits = main.resources?.limits ?? {};
  const volumes = databaseFile ? [`${databaseFile}:${DATABASE_MOUNT_PATH}/${DATABASE_URL_KEY}:ro`] : [];
  return {
    image: version.image,
    ...securitySettings(main.securityContext ?? {}),
    tmpfs: [tmpfsMount('/tmp', tmp?.emptyDir?.sizeLimit?.value)],
    ...limitSettings({ cpu: limits.cpu?.value, memory: limits.memory?.value }),
    stop_grace_period: `${pod.spec?.terminationGracePeriodSeconds ?? 30}s`,
    labels: { ...pod.metadata?.labels, [ENVIRONMENT_LABEL]: spec.environment },
    environment: Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, literal(value)])),
    ports: container.ports.map((port) => `127.0.0.1:${port.host === 0 ? '' : port.host}:${port.container}`),
    ...(volumes.length > 0 ? { volumes } : {}),
    networks: { [spec.namespace]: { aliases: [service.name, serviceHost(spec, service.name)] } },
    healthcheck: readinessHealthcheck(main),
    ...dependsOnHealthy([...dependsOn, ...(databaseFile && options.database ? [options.database.server.name] : []), ...(options.traceBackend ? [options.traceBackend.name] : [])]),
  };
}

/** `depends_on` the containers named, each healthy first; nothing when none. */
const dependsOnHealthy = (names: readonly string[]): Pick<ComposeService, 'depends_on'> =>
  names.length > 0 ? { depends_on: Object.fromEntries(names.map((name) => [name, { condition: 'service_healthy' as const }])) } : {};

/** The Compose file of one environment's spec (its versions must carry image references). */
export function composeFile(spec: PlatformSpec, options: ComposeOptions = {}): ComposeFile {
  const containers = localContainers(spec, options.basePort ?? DEFAULT_BASE_PORT);
  const edges = dependencies(containers);
  const server = options.database?.server;
  const services: Record<string, ComposeService> = {
    ...(server ? { [server.name]: server.service } : {}),
    ...(options.traceBackend ? { [options.traceBackend.name]: options.traceBackend.service } : {}),
  };
  for (const container of containers) {
    services[container.name] = composeService(spec, container, edges.get(container.name) ?? [], options);
  }
  return { services, networks: { [spec.namespace]: {} }, ...(server ? { volumes: { [server.volume]: {} } } : {}) };
}
