/**
 * The parts of the Compose file format (the Compose Specification, as docker-compose 1.27+ and Compose v2 read it)
 * that the local environment writes. No top-level `version:` and no `name:`: docker-compose 1.29 rejects `name`, so the
 * project name is always passed with `-p`.
 */

/** A Compose healthcheck: the exec form (`CMD`), since the images have no shell. */
export interface ComposeHealthcheck {
  /** `["CMD", executable, ...arguments]`, run inside the container without a shell. */
  readonly test: readonly string[];
  /** Time between checks, e.g. `5s`. */
  readonly interval: string;
  /** Time one check may take. */
  readonly timeout: string;
  /** Consecutive failures that mark the container unhealthy. */
  readonly retries: number;
  /** Start-up time during which failures do not count (a success marks it healthy at once). */
  readonly start_period: string;
}

/** One Compose service: one container, as one pod of a Deployment. */
export interface ComposeService {
  readonly image: string;
  /** `uid:gid` the process runs as. */
  readonly user: string;
  readonly read_only: boolean;
  /** tmpfs mounts, `path:options`. */
  readonly tmpfs: readonly string[];
  readonly cap_drop: readonly string[];
  readonly security_opt: readonly string[];
  /** Memory limit in Docker's units, e.g. `256m`. */
  readonly mem_limit: string;
  /** CPU limit in cores, e.g. `0.5`. */
  readonly cpus: number;
  /** Time between SIGTERM and SIGKILL, e.g. `20s`. */
  readonly stop_grace_period: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Environment variables; `$` is written as `$$` so Compose does not interpolate it. */
  readonly environment: Readonly<Record<string, string>>;
  /** Published ports, `host_ip:[host_port]:container_port`. */
  readonly ports: readonly string[];
  /** Mounts: `<named volume>:target`, or read-only bind mounts `source:target:ro` (source relative to the Compose file). */
  readonly volumes?: readonly string[];
  readonly networks: Readonly<Record<string, { readonly aliases: readonly string[] }>>;
  readonly healthcheck: ComposeHealthcheck;
  readonly depends_on?: Readonly<Record<string, { readonly condition: 'service_healthy' }>>;
}

/** A whole Compose file. */
export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly networks: Readonly<Record<string, Readonly<Record<string, never>>>>;
  /** Named volumes (the database server's data). */
  readonly volumes?: Readonly<Record<string, Readonly<Record<string, never>>>>;
}
