import { execFile, execFileSync } from 'node:child_process';
import { REPOSITORY_ROOT } from './services';

/** How long a single `docker` command may take before it is treated as hung: 10 minutes (a cold build). */
const DOCKER_TIMEOUT_MS = 600_000;

/** Output buffer for `docker` commands: build logs and `docker cp` tar streams of a bundle fit easily. */
const MAX_BUFFER = 64 * 1024 * 1024;

/** Whether a Docker engine answers (`docker version` reaches the server). Never throws. */
export function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/** Why `dockerAvailable()` is false, in words a user can act on. */
export const DOCKER_UNAVAILABLE =
  'no Docker engine is reachable (`docker version` fails): start one (CI: `.ci/docker.sh start`) or set DOCKER_HOST';

/** Lines of a failed command's stdout kept in the error: the end of a `docker build` log, where the cause is. */
const LOG_TAIL_LINES = 30;

/** Error from a failed `docker` command, carrying its output. */
export class DockerError extends Error {}

/**
 * Runs `docker <args>` from the repository root and resolves with its stdout.
 * @throws DockerError with the command, the end of its stdout (where `docker build` writes its log) and its stderr.
 */
export function docker(args: readonly string[], options: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'docker',
      args,
      { cwd: options.cwd ?? REPOSITORY_ROOT, timeout: DOCKER_TIMEOUT_MS, maxBuffer: MAX_BUFFER, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const log = stdout.trim().split('\n').slice(-LOG_TAIL_LINES).join('\n');
        const output = [log, stderr.trim()].filter((part) => part !== '').join('\n') || error.message;
        reject(new DockerError(`docker ${args.join(' ')} failed:\n${output}`));
      },
    );
  });
}

/** Runs `docker <args>` and resolves with stdout as bytes (for `docker cp <container>:<path> -` tar streams). */
export function dockerBytes(args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, timeout: DOCKER_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) reject(new DockerError(`docker ${args.join(' ')} failed: ${stderr.toString().trim() || error.message}`));
      else resolve(stdout);
    });
  });
}
