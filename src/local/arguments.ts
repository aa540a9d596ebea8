/** The command line of `npm run local` (see HELP): parsed here, run by cli.ts. */
import { resolve } from 'node:path';
import { parseCommandLine, UsageError } from '../cli/usage';
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

const SEE_HELP = '; see npm run local -- --help';

/** Parses the command line. @throws UsageError naming the argument and what was expected */
export function parseArguments(argv: readonly string[]): Command {
  const { values, positionals } = parseCommandLine(argv, {
    env: { type: 'string' },
    'write-only': { type: 'boolean' },
    'no-build': { type: 'boolean' },
    database: { type: 'boolean' },
    tracing: { type: 'boolean' },
    'base-port': { type: 'string' },
    project: { type: 'string' },
    output: { type: 'string' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, SEE_HELP);
  if (values.help) return { action: 'help', options: { environment: 'dev' } };
  const environment = values.env === undefined ? 'dev' : environmentNamed(values.env);
  const options: { -readonly [K in keyof LocalOptions]?: LocalOptions[K] } = {};
  if (values['no-build']) options.build = false;
  if (values.database) options.database = true;
  if (values.tracing) options.tracing = true;
  if (values['base-port'] !== undefined) {
    options.basePort = integer('--base-port', values['base-port'], 0, 65535);
    if (options.basePort !== 0 && options.basePort < 1024) throw new UsageError(`--base-port: ${options.basePort} is a privileged port; use 1024 or above, or 0`);
  }
  if (values.timeout !== undefined) options.timeoutMs = integer('--timeout', values.timeout, 1, 3600) * 1000;
  if (values.project !== undefined) {
    if (!PROJECT_NAME.test(values.project)) throw new UsageError(`--project: "${values.project}" is not a Compose project name (lower-case letters, digits, - and _)`);
    options.project = values.project;
  }
  if (values.output !== undefined) options.file = resolve(values.output);
  if (positionals.length > 1) throw new UsageError(`one command at most, got ${positionals.join(' ')}${SEE_HELP}`);
  const [verb = 'up'] = positionals;
  if (verb !== 'up' && verb !== 'down') throw new UsageError(`unknown command "${verb}" (commands: up, down)${SEE_HELP}`);
  if (verb === 'down' && values['write-only']) throw new UsageError('--write-only goes with up, not down');
  const action = verb === 'down' ? 'down' : values['write-only'] ? 'write' : 'up';
  return { action, options: { ...options, environment } };
}

function environmentNamed(name: string): EnvironmentName {
  if (isEnvironmentName(name)) return name;
  const guess = didYouMean(name, ENVIRONMENTS);
  throw new UsageError(`--env: unknown environment "${name}" (known: ${ENVIRONMENTS.join(', ')})${guess ? `; ${guess}` : ''}`);
}
