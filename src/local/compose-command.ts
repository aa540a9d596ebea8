/**
 * Finding and running Compose: `docker compose` (the v2 plugin) when the Docker CLI has it, else `docker-compose`
 * (Debian's docker-compose package, 1.29). Detected, never assumed; `MESH_COMPOSE` overrides the choice.
 */
import { execFile, execFileSync } from 'node:child_process';
import { DOCKER_UNAVAILABLE, dockerAvailable } from '../images/docker';
import { REPOSITORY_ROOT } from '../images/services';

/** The local environment cannot run on this machine (no Docker, no Compose); the message names the fix. */
export class LocalSetupError extends Error {}

/** How long one Compose command may take: `up` waits for healthchecks of the callees. */
const COMPOSE_TIMEOUT_MS = 600_000;

/** Whether `command args` runs and exits 0. */
function succeeds(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The Compose command line to use, e.g. `['docker', 'compose']` or `['docker-compose']`.
 * @param override `MESH_COMPOSE`, e.g. `docker-compose` to use v1 where both exist
 * @throws LocalSetupError naming the Debian package to install when Docker or Compose is missing
 */
export function detectCompose(override: string | undefined = process.env.MESH_COMPOSE): string[] {
  if (!succeeds('docker', ['--version'])) {
    throw new LocalSetupError("docker is not installed: install Debian's docker.io package (apt-get install -y docker.io)");
  }
  if (!dockerAvailable()) throw new LocalSetupError(DOCKER_UNAVAILABLE);
  const candidates = override?.trim() ? [override.trim().split(/\s+/)] : [['docker', 'compose'], ['docker-compose']];
  const found = candidates.find(([command, ...args]) => succeeds(command as string, [...args, 'version']));
  if (found) return found;
  if (override?.trim()) throw new LocalSetupError(`MESH_COMPOSE="${override}": \`${override} version\` fails; unset it to detect Compose`);
  throw new LocalSetupError(
    "Compose is not installed (neither `docker compose` nor `docker-compose` runs): install Debian's docker-compose " +
      'package (apt-get install -y docker-compose) or the Docker Compose v2 plugin',
  );
}

/**
 * Runs `<compose> -p <project> -f <file> <args>` from the repository root.
 * @returns stdout
 * @throws Error with the command and Compose's stderr (where it reports what failed)
 */
export function runCompose(compose: readonly string[], project: string, file: string, args: readonly string[]): Promise<string> {
  const [command, ...prefix] = compose;
  const argv = [...prefix, '-p', project, '-f', file, ...args];
  return new Promise((resolve, reject) => {
    execFile(command as string, argv, { cwd: REPOSITORY_ROOT, timeout: COMPOSE_TIMEOUT_MS, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      reject(new Error(`${[...compose, ...argv.slice(prefix.length)].join(' ')} failed:\n${stderr.trim() || error.message}`));
    });
  });
}
