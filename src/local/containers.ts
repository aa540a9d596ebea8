/**
 * Which containers the local environment runs: one per version of every service of the description (as one pod of
 * each Deployment), named like the Deployment, with the host ports its container ports are published on.
 */
import { workloadName } from '../description/names/workloads';
import type { PlatformSpec, ServiceSpec, VersionSpec } from '../description/types';

/** Host port of the first published port when none is given: clear of the usual 8080 and 3000. */
export const DEFAULT_BASE_PORT = 18080;

/** One published container port. */
export interface LocalPort {
  /** The port's name in the description, e.g. `http`. */
  readonly name: string;
  /** The port inside the container (the description's port). */
  readonly container: number;
  /** The port on 127.0.0.1; 0 lets Docker pick a free one (read back with `compose port`). */
  readonly host: number;
}

/** One container of the local environment. */
export interface LocalContainer {
  /** Compose service name: the Deployment's name, e.g. `order-service-v2` (`order-service` when delivered progressively: no Flagger runs locally). */
  readonly name: string;
  readonly service: ServiceSpec;
  readonly version: VersionSpec;
  /** Published ports, in the description's order. */
  readonly ports: readonly LocalPort[];
}

/**
 * Every container, in description order (services, then versions). Host ports are `basePort`, `basePort + 1`, ... in
 * that order (so a service appended to the description gets the next ports), or all 0 when `basePort` is 0.
 */
export function localContainers(spec: PlatformSpec, basePort: number = DEFAULT_BASE_PORT): LocalContainer[] {
  let next = basePort;
  return spec.services.flatMap((service) =>
    service.versions.map((version) => ({
      name: workloadName(service, version.name),
      service,
      version,
      ports: service.ports.map((port) => ({ name: port.name, container: port.port, host: basePort === 0 ? 0 : next++ })),
    })),
  );
}
