/**
 * Running the images the way Kubernetes runs them (used by the container tests and the image benchmark).
 */
import { docker, dockerBytes } from './docker';

/**
 * `docker run` flags matching the manifests' securityContext: user 65532, read-only root filesystem with a tmpfs on
 * /tmp (the manifests mount an emptyDir there), every capability dropped, no privilege escalation.
 */
export const KUBERNETES_RUN_FLAGS: readonly string[] = [
  '--user', '65532:65532',
  '--read-only',
  '--tmpfs', '/tmp',
  '--cap-drop', 'ALL',
  '--security-opt', 'no-new-privileges',
];

/** The port every service listens on inside its container (contract: `PORT`, default 8080). */
export const CONTAINER_PORT = 8080;

/** Options of `runContainer`. */
export interface RunContainerOptions {
  /** Image reference to run. */
  readonly image: string;
  /** Container name (unique on the engine). */
  readonly name: string;
  /** User-defined network to join. @default the engine's default bridge */
  readonly network?: string;
  /** DNS name of the container on `network`, e.g. the service name other services call. @default none */
  readonly alias?: string;
  /** Environment variables. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Command (arguments to the entrypoint). @default the image's CMD */
  readonly command?: readonly string[];
}

/** A started container. */
export interface RunningContainer {
  /** Container id. */
  readonly id: string;
  /** Container name. */
  readonly name: string;
  /** `http://127.0.0.1:<published port>`: the service's port, published on loopback only. */
  readonly url: string;
}

/** Starts a detached container with `KUBERNETES_RUN_FLAGS`, its port published on a free loopback port. */
export async function runContainer(options: RunContainerOptions): Promise<RunningContainer> {
  const args = ['run', '--detach', '--name', options.name, ...KUBERNETES_RUN_FLAGS];
  args.push('--publish', `127.0.0.1::${CONTAINER_PORT}`);
  if (options.network) args.push('--network', options.network);
  if (options.alias) args.push('--network-alias', options.alias);
  for (const [key, value] of Object.entries(options.env ?? {})) args.push('--env', `${key}=${value}`);
  const id = (await docker([...args, options.image, ...(options.command ?? [])])).trim();
  const port = (await docker(['port', id, `${CONTAINER_PORT}/tcp`])).trim().split('\n')[0]?.split(':').pop();
  if (!port) throw new Error(`container ${options.name}: port ${CONTAINER_PORT} was not published`);
  return { id, name: options.name, url: `http://127.0.0.1:${port}` };
}

/**
 * Polls `GET <url>/readyz` until it answers 200.
 * @returns milliseconds waited
 * @throws Error with the container's last log lines when it is not ready within `timeoutMs`.
 */
export async function waitForReady(container: RunningContainer, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if ((await readinessStatus(container.url)) === 200) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const logs = await docker(['logs', '--tail', '20', container.id]).catch((error: Error) => error.message);
  throw new Error(`container ${container.name} not ready after ${timeoutMs} ms; its last log lines:\n${logs}`);
}

/**
 * One `GET /readyz`: its status, or undefined when nothing answers within a second. The timer is a plain (ref'd)
 * one, unlike `AbortSignal.timeout`, so a hung connection cannot let the process exit mid-wait.
 */
async function readinessStatus(baseUrl: string): Promise<number | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 1000);
  try {
    const response = await fetch(`${baseUrl}/readyz`, { signal: controller.signal });
    await response.body?.cancel();
    return response.status;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** How a container ended after `terminate`. */
export interface TerminationResult {
  /** Exit code: 0 for a clean shutdown; 137 when it had to be killed after the grace period. */
  readonly exitCode: number;
  /** Seconds from SIGTERM to exit. */
  readonly seconds: number;
  /** Whether the grace period ran out and the container was killed. */
  readonly killed: boolean;
}

/**
 * What the kubelet does to stop a pod: SIGTERM, up to `graceSeconds` to exit, then SIGKILL.
 * (Unlike `docker stop`, this sends SIGTERM once, so the caller can watch the shutdown while it happens.)
 */
export async function terminate(container: RunningContainer, graceSeconds: number): Promise<TerminationResult> {
  const started = performance.now();
  await docker(['kill', '--signal', 'SIGTERM', container.id]);
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'grace over'>((resolve) => {
    timer = setTimeout(() => resolve('grace over'), graceSeconds * 1000);
  });
  const exited = docker(['wait', container.id]);
  const outcome = await Promise.race([exited, graceOver]);
  clearTimeout(timer);
  const killed = outcome === 'grace over';
  if (killed) await docker(['kill', '--signal', 'SIGKILL', container.id]).catch(() => undefined);
  const exitCode = Number((await exited).trim());
  return { exitCode, seconds: (performance.now() - started) / 1000, killed };
}

/** Removes containers (running or not); ignores those already gone. */
export async function removeContainers(containers: readonly RunningContainer[]): Promise<void> {
  if (containers.length === 0) return;
  await docker(['rm', '--force', ...containers.map((container) => container.id)]).catch(() => undefined);
}

/**
 * Runs a script with the image's own Node.js (its entrypoint), as root and without network, to inspect the image.
 * @returns what the script writes to stdout
 */
export function nodeInImage(image: string, script: string): Promise<Buffer> {
  const args = ['run', '--rm', '--network', 'none', '--user', '0:0', '--entrypoint', '/nodejs/bin/node'];
  return dockerBytes([...args, image, '-e', script]);
}
