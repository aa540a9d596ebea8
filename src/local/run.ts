/**
 * The runner behind `npm run local`: resolve an environment, build its images (src/images, as `npm run images`),
 * write the Compose file, start it under a fixed project name, wait for the healthchecks, and summarize; or stop and
 * remove everything of the project.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { buildImages } from '../images/build';
import { docker } from '../images/docker';
import { imageReferences } from '../images/index';
import { REPOSITORY_ROOT } from '../images/services';
import { loadPlatformSpec } from '../platform';
import { databaseClients } from '../constructs/database-clients';
import type { InClusterPostgresSpec } from '../description/database-types';
import type { EnvironmentName, PlatformSpec } from '../description/types';
import { detectCompose, LocalSetupError, runCompose } from './compose-command';
import { composeFile } from './compose-file';
import type { ComposeFile } from './compose-types';
import { COMPOSE_PATH, renderCompose, writeComposeFile } from './compose-yaml';
import { DEFAULT_BASE_PORT, localContainers, type LocalContainer } from './containers';
import { databaseImage } from './database-image';
import { databaseServer, type DatabaseServer } from './database-server';
import { databaseStatePaths, removeDatabaseState, writeDatabaseState, type DatabaseState } from './database-state';
import { containerStates, waitForHealthy, type ContainerState } from './health';
import { storageLabel } from './storage';
import { ensureTraceBackendImage, traceBackendContainer, type TraceBackendContainer } from './trace-backend';
import type { SummaryRow } from './summary';

/** How long `up` waits for every container to turn healthy: 3 minutes (a first database start initialises it). */
export const DEFAULT_TIMEOUT_MS = 180_000;

/** Options of the local environment's commands. */
export interface LocalOptions {
  /** Environment of the description to run. */
  readonly environment: EnvironmentName;
  /** Compose project name. @default `<platform name>-local`, e.g. `shop-local` */
  readonly project?: string;
  /** Host port of the first container; 0 lets Docker pick (see `localContainers`). @default 18080 */
  readonly basePort?: number;
  /** Build the images first (`buildImages`); false requires them to be present. @default true */
  readonly build?: boolean;
  /**
   * Run the environment's in-cluster PostgreSQL server too, and give the services that declare a database their URL
   * (else they keep their data in memory). @default false
   */
  readonly database?: boolean;
  /**
   * Run a trace backend (Jaeger, built by the toolchain) under the host name the environment's tracing names, so the
   * services' spans arrive there; its UI is in the summary. The environment must configure a backend. @default false
   */
  readonly tracing?: boolean;
  /** How long to wait for the healthchecks. @default 180000 */
  readonly timeoutMs?: number;
  /** Where to write the Compose file. @default `<repository>/dist/compose/compose.yaml` */
  readonly file?: string;
  /** Progress lines. @default write to stderr */
  readonly log?: (line: string) => void;
}

/** The database part of a plan. */
export interface DatabasePlan {
  readonly server: DatabaseServer;
  readonly state: DatabaseState;
  /** Service name → its database name. */
  readonly databases: Readonly<Record<string, string>>;
}

/** What one environment's local run consists of. */
export interface LocalPlan {
  readonly spec: PlatformSpec;
  readonly project: string;
  /** Absolute path of the Compose file. */
  readonly file: string;
  readonly containers: readonly LocalContainer[];
  readonly database?: DatabasePlan;
  /** The trace backend, with `tracing`. */
  readonly traceBackend?: TraceBackendContainer;
  readonly compose: ComposeFile;
}

const projectName = (spec: PlatformSpec, options: LocalOptions) => options.project ?? `${spec.name}-local`;
const stderrLog = (line: string) => process.stderr.write(`${line}\n`);

/**
 * The environment's PostgreSQL server, checking that `--database` can work: a server in the cluster (the local run
 * stands in for it), used by a service. @throws LocalSetupError otherwise
 */
function inClusterDatabase(spec: PlatformSpec): InClusterPostgresSpec {
  const use = databaseClients(spec);
  if (!use) throw new LocalSetupError(`--database: no service of ${spec.environment} has a database on a configured server`);
  if (use.server.location !== 'in-cluster') {
    throw new LocalSetupError(
      `--database: ${spec.environment}'s PostgreSQL is external (${use.server.host}); the local environment runs an in-cluster server only (--env dev), or leave out --database for memory storage`,
    );
  }
  return use.server;
}

/**
 * Resolves the environment (with the images' content-addressed references) and derives the Compose file, in memory.
 * @param serverImage the database server's image, with `database` (see `databaseImage`)
 */
export function planLocal(options: LocalOptions, serverImage?: string): LocalPlan {
  const spec = loadPlatformSpec(options.environment, { images: imageReferences });
  const basePort = options.basePort ?? DEFAULT_BASE_PORT;
  const project = projectName(spec, options);
  const file = options.file ?? join(REPOSITORY_ROOT, COMPOSE_PATH);
  // Paths in the Compose file are relative to it.
  const fromFile = (path: string) => relative(dirname(file), path);
  let database: DatabasePlan | undefined;
  if (options.database) {
    inClusterDatabase(spec);
    const databases = Object.fromEntries(spec.services.flatMap((service) => (service.database ? [[service.name, service.database.name]] : [])));
    const state = databaseStatePaths(REPOSITORY_ROOT, project, Object.keys(databases));
    const server = databaseServer(spec, serverImage ?? '', { passwords: fromFile(state.passwords), init: fromFile(state.init) });
    database = { server, state, databases };
  }
  const urlFiles = database ? Object.fromEntries(Object.entries(database.state.urlFiles).map(([service, path]) => [service, fromFile(path)])) : {};
  const traceBackend = options.tracing ? traceBackendContainer(spec) : undefined;
  return {
    spec,
    project,
    file,
    containers: localContainers(spec, basePort),
    database,
    traceBackend,
    compose: composeFile(spec, { basePort, database: database ? { server: database.server, urlFiles } : undefined, traceBackend }),
  };
}

/** Writes the plan's Compose file, and the database server's state when it has one. */
export function writePlan(plan: LocalPlan): void {
  if (plan.database) writeDatabaseState(plan.database.state, plan.database.server, plan.database.databases);
  writeComposeFile(plan.file, renderCompose(plan.compose, { environment: plan.spec.environment, project: plan.project }));
}

/** Plans, resolving the database server's image first when `database` is set (may build the stand-in). */
export async function preparePlan(options: LocalOptions): Promise<LocalPlan> {
  if (!options.database) return planLocal(options);
  const server = inClusterDatabase(loadPlatformSpec(options.environment, { images: imageReferences }));
  return planLocal(options, await databaseImage(server.image, options.log ?? stderrLog));
}

/** The outcome of `upLocal`. */
export interface LocalRun {
  readonly plan: LocalPlan;
  /** The Compose command used, e.g. `docker-compose`. */
  readonly compose: string;
  readonly rows: readonly SummaryRow[];
  /** Whether every container is healthy. */
  readonly healthy: boolean;
  /** For each container that is not healthy: its name and last log lines (or why it was not started). */
  readonly problems: readonly string[];
}

/** Fails naming the missing images when `--no-build` finds one absent. */
async function requireImages(plan: LocalPlan): Promise<void> {
  const images = [...new Set(plan.containers.map((container) => container.version.image))];
  const missing: string[] = [];
  for (const image of images) await docker(['image', 'inspect', '--format', '{{.Id}}', image]).catch(() => missing.push(image));
  if (missing.length > 0) {
    throw new LocalSetupError(
      `image ${missing.join(', ')} is not present: run without --no-build (it builds them), or npm run images -- --registry ${plan.spec.registry}`,
    );
  }
}

/** A container's last log lines, from its stdout and stderr (`docker logs` replays each on its own stream). */
function containerLogs(id: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('docker', ['logs', '--tail', '15', id], { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve([stdout.trim(), stderr.trim()].filter(Boolean).join('\n') || error?.message || ''));
  });
}

/** Why each unhealthy container is not healthy: its last log lines. */
async function problemsOf(states: readonly ContainerState[], upError: Error | undefined): Promise<string[]> {
  const problems: string[] = [];
  for (const state of states.filter((candidate) => candidate.health !== 'healthy')) {
    const logs = state.id ? await containerLogs(state.id) : '';
    problems.push(`${state.name}: ${state.health}${logs.trim() ? `; its last log lines:\n${logs.trimEnd()}` : ''}`);
  }
  if (upError && problems.length > 0) problems.push(upError.message);
  return problems;
}

/** The summary rows: the database server and the trace backend first (when run), then one per service container. */
function summaryRows(plan: LocalPlan, states: readonly ContainerState[]): SummaryRow[] {
  const stateOf = (name: string) => states.find((state) => state.name === name);
  const rows: SummaryRow[] = [];
  if (plan.database) {
    const { server } = plan.database;
    const state = stateOf(server.name);
    rows.push({
      service: server.name,
      version: server.service.image.split('@')[0]?.split(':').pop() ?? '-',
      url: state?.address ? `postgres://${state.address}` : '-',
      health: state?.health ?? 'not created',
      storage: `volume ${plan.project}_${server.volume}`,
    });
  }
  if (plan.traceBackend) {
    const { name, release } = plan.traceBackend;
    const state = stateOf(name);
    rows.push({ service: name, version: release, url: state?.address ? `http://${state.address}` : '-', health: state?.health ?? 'not created', storage: 'memory' });
  }
  for (const container of plan.containers) {
    const state = stateOf(container.name);
    rows.push({
      service: container.service.name,
      version: container.version.name,
      url: state?.address ? `http://${state.address}` : '-',
      health: state?.health ?? 'not created',
      storage: storageLabel(plan.spec, container.service, plan.database?.databases[container.service.name] !== undefined),
    });
  }
  return rows;
}

/**
 * Builds (unless `build` is false), writes the Compose file, runs `up -d` and waits for the healthchecks.
 * @throws LocalSetupError when Docker or Compose is missing, or an image is missing with `build: false`
 */
export async function upLocal(options: LocalOptions): Promise<LocalRun> {
  const log = options.log ?? stderrLog;
  const compose = detectCompose();
  const plan = await preparePlan(options);
  if (options.build ?? true) await buildImages({ registry: plan.spec.registry, log });
  else await requireImages(plan);
  if (plan.traceBackend) await ensureTraceBackendImage(plan.traceBackend, log);
  writePlan(plan);
  log(`local: ${compose.join(' ')} -p ${plan.project} -f ${relative(process.cwd(), plan.file)} up -d`);
  // `up` fails when a container a caller depends on is unhealthy; the states below say which and why.
  const upError = await runCompose(compose, plan.project, plan.file, ['up', '-d', '--remove-orphans']).then(
    () => undefined,
    (error: Error) => error,
  );
  const watched = [
    ...(plan.database ? [{ name: plan.database.server.name, port: plan.database.server.server.port }] : []),
    ...(plan.traceBackend ? [{ name: plan.traceBackend.name, port: plan.traceBackend.queryPort }] : []),
    ...plan.containers.map((container) => ({ name: container.name, port: container.ports[0]?.container })),
  ];
  const states = await waitForHealthy(
    () => containerStates(compose, plan.project, plan.file, watched),
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  if (upError && states.every((state) => state.health === 'not created')) throw upError;
  return {
    plan,
    compose: compose.join(' '),
    rows: summaryRows(plan, states),
    healthy: states.every((state) => state.health === 'healthy'),
    problems: await problemsOf(states, upError),
  };
}

/** Removes what is left of a project that its Compose file does not name (another environment's volume or network). */
async function sweepProject(project: string): Promise<void> {
  const label = `label=com.docker.compose.project=${project}`;
  for (const kind of ['volume', 'network'] as const) {
    const ids = (await docker([kind, 'ls', '-q', '--filter', label])).split('\n').filter(Boolean);
    if (ids.length > 0) await docker([kind, 'rm', ...ids]);
  }
}

/**
 * Stops and removes the project's containers, networks and volumes (`down -v --remove-orphans`, then whatever else
 * carries the project's label), and its database state (`.local/<project>`), whose passwords belonged to the removed
 * volume. The Compose file in dist/ is left as it is.
 */
export async function downLocal(options: LocalOptions): Promise<LocalPlan> {
  const compose = detectCompose();
  // Compose v1 needs a file even for `down`: the environment's own, without the database server (its container is an
  // orphan of the project, its volume is swept), written aside.
  const directory = mkdtempSync(join(tmpdir(), 'mesh-local-down-'));
  try {
    const plan = planLocal({ ...options, database: false, file: join(directory, 'compose.yaml') });
    writeComposeFile(plan.file, renderCompose(plan.compose, { environment: plan.spec.environment, project: plan.project }));
    await runCompose(compose, plan.project, plan.file, ['down', '-v', '--remove-orphans']);
    await sweepProject(plan.project);
    removeDatabaseState(REPOSITORY_ROOT, plan.project);
    return plan;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
