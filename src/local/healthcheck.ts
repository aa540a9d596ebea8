/**
 * Compose healthchecks equivalent to the pods' probes. The runtime image has no shell and no curl, so the check runs
 * the image's own Node.js in exec form: a GET of the readiness path on the container's port, healthy on 200-399 as
 * Kubernetes' httpGet probe counts it.
 */
import type { k8s } from 'cdk8s-plus-27';
import type { ComposeHealthcheck } from './compose-types';

/** The runtime image's Node.js (images/Dockerfile: the distroless layout). */
export const IMAGE_NODE = '/nodejs/bin/node';

/** The port number an httpGet probe names, resolving a named port through the container's ports. */
export function probePort(probe: k8s.Probe, container: k8s.Container): number {
  const port = probe.httpGet?.port.value;
  if (typeof port === 'number') return port;
  const named = container.ports?.find((candidate) => candidate.name === port);
  if (!named) throw new Error(`container ${container.name}: its probe names port "${String(port)}", which it does not declare`);
  return named.containerPort;
}

/** A Node.js program that exits 0 when `GET http://127.0.0.1:<port><path>` answers 200-399 within `timeoutMs`. */
export function httpCheckScript(port: number, path: string, timeoutMs: number): string {
  const request = JSON.stringify({ host: '127.0.0.1', port, path, timeout: timeoutMs });
  return [
    `const r = require('http').get(${request}, (res) => process.exit(res.statusCode >= 200 && res.statusCode < 400 ? 0 : 1));`,
    "r.on('timeout', () => r.destroy(new Error('timeout')));",
    "r.on('error', () => process.exit(1));",
  ].join(' ');
}

/**
 * The healthcheck of a container from its readiness probe (path, port, period, timeout, failure threshold) and its
 * startup probe (how long start-up may take: period x failure threshold).
 * @throws Error when the container has no httpGet readiness probe (every service of the platform has one)
 */
export function readinessHealthcheck(container: k8s.Container): ComposeHealthcheck {
  const readiness = container.readinessProbe;
  if (!readiness?.httpGet) throw new Error(`container ${container.name}: no httpGet readiness probe to derive a healthcheck from`);
  const timeoutSeconds = readiness.timeoutSeconds ?? 1;
  const startup = container.startupProbe;
  const startSeconds = startup ? (startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3) : 0;
  return {
    test: ['CMD', IMAGE_NODE, '-e', httpCheckScript(probePort(readiness, container), readiness.httpGet.path ?? '/', timeoutSeconds * 1000)],
    interval: `${readiness.periodSeconds ?? 10}s`,
    timeout: `${timeoutSeconds}s`,
    retries: readiness.failureThreshold ?? 3,
    start_period: `${startSeconds}s`,
  };
}
