/** The command line of `npm run local` (see HELP): parsed here, run by cli.ts. */
import { resolve } from 'node:path';
import { COMPOSE_PATH } from './compose-yaml';
import { DEFAULT_BASE_PORT } from './containers';
import { DEFAULT_TIMEOUT_MS, type LocalOptions } from './run';
import { didYouMean } from '../description/suggest';
import { ENVIRONMENTS, isEnvironmentName, type EnvironmentName } from '../description/types';

/** What `--help` prints. */
export const HELP = `Usage: npm run local -- [up|down] [options]

Runs every service of the platform description as containers (one per version, as one pod of each Deployment),
with the manifests' names, ports, settings and security context, and prints a health summary. The Compose file is
${COMPOSE_PATH}; use it directly with docker-compose (or docker compose) -p <project> -f ${COMPOSE_PATH}.
  up (default)          build the images (as npm run images), write the Compose file, start it, wait for health
  down                  stop and remove the project's containers, network and volumes
  --env <name>          environment of the description: ${ENVIRONMENTS.join(', ')} (default dev)
  --write-only          only write ${COMPOSE_PATH}
  --no-build            use images already built (npm run images -- --registry <the environment's registry>)
  --database            also run the environment's in-cluster PostgreSQL (dev) and give the services that declare a
                        database its URL; credentials in .local/<project>/ (the official image when present, else a
                        stand-in from Debian's postgresql package: images/stand-in-postgres.sh)
  --tracing             also run a trace backend (Jaeger, built by the toolchain) under the host name the environment's
                        tracing names, so one request is one trace across the services; its UI is in the summary
  --base-port <port>    host port of the first container, the others follow (default ${DEFAULT_BASE_PORT}); 0: Docker picks
  --project <name>      Compose project name (default <platform>-local)
  --output <file>       write the Compose file there instead of ${COMPOSE_PATH}
  --timeout <seconds>   how long to wait for the healthchecks (default ${DEFAULT_TIMEOUT_MS / 1000})
Ports are published on 127.0.0.1 only. Storage is in memory unless --database; secrets are absent (payment-service:
sandbox mode).
Not included: the mesh (Istio routing, mTLS, policies) and the ingress gateway. Compose: \`docker compose\` if present,
else docker-compose (MESH_COMPOSE overrides). See docs/local.md.`;

/** Bad input: one line, exit 2. */
export class UsageError extends Error {}

/** A parsed command line. */
export interface Command {
  readonly action: 'up' | 'down' | 'write' | 'help';
  readonly options: LocalOptions;
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

function integer(flag: string, value: string | undefined, min: number, max: number): number {
  const parsed = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new UsageError(`${flag}: expected an integer from ${min} to ${max}, got ${value === undefined ? 'nothing' : `"${value}"`}`);
  }
  return parsed;
}

/** Parses the command line. @throws UsageError naming the argument and what was expected */
export function parseArguments(argv: readonly string[]): Command {
  let action: Command['action'] = 'up';
  let environment: EnvironmentName = 'dev';
  const options: { -readonly [K in keyof LocalOptions]?: LocalOptions[K] } = {};
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    const value = () => {
      const next = argv[(index += 1)];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value; see npm run local -- --help`);
      return next;
    };
    if (arg === '--help' || arg === '-h') return { action: 'help', options: { environment } };
    else if (arg === '--env') {
      const name = value();
      if (!isEnvironmentName(name)) {
        const guess = didYouMean(name, ENVIRONMENTS);
        throw new UsageError(`--env: unknown environment "${name}" (known: ${ENVIRONMENTS.join(', ')})${guess ? `; ${guess}` : ''}`);
      }
      environment = name as EnvironmentName;
    } else if (arg === '--write-only') action = 'write';
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--database') options.database = true;
    else if (arg === '--tracing') options.tracing = true;
    else if (arg === '--base-port') {
      options.basePort = integer(arg, value(), 0, 65535);
      if (options.basePort !== 0 && options.basePort < 1024) throw new UsageError(`--base-port: ${options.basePort} is a privileged port; use 1024 or above, or 0`);
    } else if (arg === '--timeout') options.timeoutMs = integer(arg, value(), 1, 3600) * 1000;
    else if (arg === '--project') {
      const name = value();
      if (!PROJECT_NAME.test(name)) throw new UsageError(`--project: "${name}" is not a Compose project name (lower-case letters, digits, - and _)`);
      options.project = name;
    } else if (arg === '--output') options.file = resolve(value());
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}; see npm run local -- --help`);
    else positional.push(arg);
  }
  if (positional.length > 1) throw new UsageError(`one command at most, got ${positional.join(' ')}; see npm run local -- --help`);
  const [verb] = positional;
  if (verb !== undefined && verb !== 'up' && verb !== 'down') {
    throw new UsageError(`unknown command "${verb}" (commands: up, down); see npm run local -- --help`);
  }
  if (verb === 'down' && action === 'write') throw new UsageError('--write-only goes with up, not down');
  if (verb === 'down') action = 'down';
  return { action, options: { ...options, environment } };
}

