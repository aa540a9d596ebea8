/**
 * The runner behind `npm run local`: resolve an environment, build its images (src/images, as `npm run images`),
 * write the Compose file, start it under a fixed project name, wait for the healthchecks, and summarize; or stop and
 * remove everything of the project.
 */
import { join, relative } from 'node:path';
import { buildImages } from '../images/build';
import { docker } from '../images/docker';
import { imageReferences } from '../images/index';
import { REPOSITORY_ROOT } from '../images/services';
import { loadPlatformSpec } from '../platform';
import type { EnvironmentName, PlatformSpec } from '../spec/types';
import { detectCompose, LocalSetupError, runCompose } from './compose-command';
import { composeFile } from './compose-file';
import type { ComposeFile } from './compose-types';
import { COMPOSE_PATH, renderCompose, writeComposeFile } from './compose-yaml';
import { DEFAULT_BASE_PORT, localContainers, type LocalContainer } from './containers';
import { containerStates, waitForHealthy, type ContainerState } from './health';
import { storageLabel } from './storage';
import type { SummaryRow } from './summary';

/** How long `up` waits for every container to turn healthy: 2 minutes. */
export const DEFAULT_TIMEOUT_MS = 120_000;

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
  /** How long to wait for the healthchecks. @default 120000 */
  readonly timeoutMs?: number;
  /** Where to write the Compose file. @default `<repository>/dist/compose/compose.yaml` */
  readonly file?: string;
  /** Progress lines. @default write to stderr */
  readonly log?: (line: string) => void;
}

/** What one environment's local run consists of. */
export interface LocalPlan {
  readonly spec: PlatformSpec;
  readonly project: string;
  /** Absolute path of the Compose file. */
  readonly file: string;
  readonly containers: readonly LocalContainer[];
  readonly compose: ComposeFile;
}

/** Resolves the environment (with the images' content-addressed references) and derives the Compose file, in memory. */
export function planLocal(options: LocalOptions): LocalPlan {
  const spec = loadPlatformSpec(options.environment, { images: imageReferences });
  const basePort = options.basePort ?? DEFAULT_BASE_PORT;
  return {
    spec,
    project: options.project ?? `${spec.name}-local`,
    file: options.file ?? join(REPOSITORY_ROOT, COMPOSE_PATH),
    containers: localContainers(spec, basePort),
    compose: composeFile(spec, { basePort }),
  };
}

/** Writes the plan's Compose file. */
export function writePlan(plan: LocalPlan): void {
  writeComposeFile(plan.file, renderCompose(plan.compose, { environment: plan.spec.environment, project: plan.project }));
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

/** Why each unhealthy container is not healthy: its last log lines. */
async function problemsOf(states: readonly ContainerState[], upError: Error | undefined): Promise<string[]> {
  const problems: string[] = [];
  for (const state of states.filter((candidate) => candidate.health !== 'healthy')) {
    const logs = state.id ? await docker(['logs', '--tail', '15', state.id]).catch((error: Error) => error.message) : '';
    problems.push(`${state.name}: ${state.health}${logs.trim() ? `; its last log lines:\n${logs.trimEnd()}` : ''}`);
  }
  if (upError && problems.length > 0) problems.push(upError.message);
  return problems;
}

/**
 * Builds (unless `build` is false), writes the Compose file, runs `up -d` and waits for the healthchecks.
 * @throws LocalSetupError when Docker or Compose is missing, or an image is missing with `build: false`
 */
export async function upLocal(options: LocalOptions): Promise<LocalRun> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const compose = detectCompose();
  const plan = planLocal(options);
  if (options.build ?? true) await buildImages({ registry: plan.spec.registry, log });
  else await requireImages(plan);
  writePlan(plan);
  log(`local: ${compose.join(' ')} -p ${plan.project} -f ${relative(process.cwd(), plan.file)} up -d`);
  // `up` fails when a container a caller depends on is unhealthy; the states below say which and why.
  const upError = await runCompose(compose, plan.project, plan.file, ['up', '-d', '--remove-orphans']).then(
    () => undefined,
    (error: Error) => error,
  );
  const states = await waitForHealthy(
    () => containerStates(compose, plan.project, plan.file, plan.containers),
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  if (upError && states.every((state) => state.health === 'not created')) throw upError;
  const rows = plan.containers.map((container, index) => ({
    service: container.service.name,
    version: container.version.name,
    url: states[index]?.url ?? '-',
    health: states[index]?.health ?? 'not created',
    storage: storageLabel(plan.spec, container.service, false),
  }));
  return {
    plan,
    compose: compose.join(' '),
    rows,
    healthy: states.every((state) => state.health === 'healthy'),
    problems: await problemsOf(states, upError),
  };
}

/** Stops and removes the project's containers, network and volumes (`down -v --remove-orphans`). */
export async function downLocal(options: LocalOptions): Promise<LocalPlan> {
  const compose = detectCompose();
  const plan = planLocal(options);
  // Compose v1 needs a file even for `down`; this environment's own names every object the project may hold.
  writePlan(plan);
  await runCompose(compose, plan.project, plan.file, ['down', '-v', '--remove-orphans']);
  return plan;
}
