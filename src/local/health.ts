/**
 * The state of the local environment's containers as Docker reports it (`docker inspect`): health from the
 * healthchecks, published ports, exit codes; and waiting until every container is healthy or one has failed.
 */
import { docker } from '../images/docker';
import { runCompose } from './compose-command';

/** One container's state. */
export interface ContainerState {
  /** The Compose service, e.g. `order-service-v1`. */
  readonly name: string;
  /** Docker's container id, when the container was created. */
  readonly id?: string;
  /**
   * `healthy`, `unhealthy` or `starting` (the healthcheck's verdict) while running; `exited (<code>)` once ended;
   * `not created` when Compose did not start it (e.g. a callee it depends on was unhealthy).
   */
  readonly health: string;
  /** `127.0.0.1:<port>`: where its first published port is, when running. */
  readonly address?: string;
}

/** A container to look at: its Compose service and the container port whose published address is wanted. */
export interface WatchedContainer {
  readonly name: string;
  readonly port?: number;
}

interface InspectedState {
  readonly Id: string;
  readonly State: { readonly Status: string; readonly ExitCode: number; readonly Health?: { readonly Status: string } };
  readonly NetworkSettings: { readonly Ports: Readonly<Record<string, readonly { HostIp: string; HostPort: string }[] | null>> };
}

/** The state of every container of the project, in the order given. */
export async function containerStates(
  compose: readonly string[],
  project: string,
  file: string,
  containers: readonly WatchedContainer[],
): Promise<ContainerState[]> {
  const ids = new Map<string, string>();
  for (const container of containers) {
    const id = (await runCompose(compose, project, file, ['ps', '-q', container.name]).catch(() => '')).trim().split('\n')[0];
    if (id) ids.set(container.name, id);
  }
  const inspected = ids.size === 0 ? [] : (JSON.parse(await docker(['inspect', ...ids.values()])) as InspectedState[]);
  return containers.map((container) => {
    const id = ids.get(container.name);
    const state = inspected.find((candidate) => id !== undefined && candidate.Id.startsWith(id));
    if (!state) return { name: container.name, health: 'not created' };
    if (state.State.Status !== 'running') return { name: container.name, id: state.Id, health: `${state.State.Status} (${state.State.ExitCode})` };
    const binding = container.port === undefined ? undefined : state.NetworkSettings.Ports[`${container.port}/tcp`]?.[0];
    return {
      name: container.name,
      id: state.Id,
      health: state.State.Health?.Status ?? 'running',
      address: binding ? `${binding.HostIp}:${binding.HostPort}` : undefined,
    };
  });
}

/** Whether waiting can stop: all healthy, or one that will not become healthy by itself. */
const settled = (states: readonly ContainerState[]): boolean =>
  states.every((state) => state.health === 'healthy') || states.some((state) => state.health !== 'healthy' && state.health !== 'starting');

/**
 * Polls the containers' states (once a second) until every one is healthy, one has failed (unhealthy, exited, not
 * created), or `timeoutMs` has passed; returns the last states.
 */
export async function waitForHealthy(
  read: () => Promise<ContainerState[]>,
  timeoutMs: number,
): Promise<ContainerState[]> {
  const deadline = Date.now() + timeoutMs;
  let states = await read();
  while (!settled(states) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    states = await read();
  }
  return states;
}
