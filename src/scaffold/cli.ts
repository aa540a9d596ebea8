/** `npm run new:service -- <name> [--calls a,b] [--expose /api/prefix] [--version v1]`: see new-service.ts. */
import { resolve } from 'node:path';
import { parseCommandLine, UsageError } from '../cli/usage';
import { DescriptionShapeError } from './description-edit';
import { newService, ScaffoldError, type NewServiceOptions } from './new-service';

const HELP = `Usage: npm run new:service -- <name> [--calls a,b] [--expose /api/prefix] [--version v1]

Adds a service to the platform:
  services/<name>/src/       main, app, router, handler, model, config on services/kit (health, metrics, errors),
                             with a placeholder resource: POST /<resource>, GET /<resource>/:id
  test/services/<name>/      its HTTP tests
  src/config/platform.ts     its entry (versions, calls, expose)
  src/config/environments.ts the overrides production environments require (minReplicas)
Options:
  --calls a,b            services it calls (allowed by AuthorizationPolicy, passed as A_URL, B_URL)
  --expose /api/prefix   route the prefix at the ingress gateway to the service (rewritten to /<resource>)
  --version v1           name of its first version (default v1)
Every environment is resolved with the new entry first; nothing is written when any fails or the name is taken.
Then: npm run synth, npm run start -- <name>, npm test.`;

const SEE_HELP = '; see npm run new:service -- --help';

function parseArguments(argv: readonly string[]): NewServiceOptions | 'help' {
  const { values: { help, calls, expose, version }, positionals: names } = parseCommandLine(argv, {
    calls: { type: 'string' },
    expose: { type: 'string' },
    version: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, SEE_HELP);
  if (help) return 'help';
  if (names.length !== 1) throw new UsageError(`expected one service name, got ${names.length === 0 ? 'none' : names.join(' ')}${SEE_HELP}`);
  return { name: names[0], calls: calls?.split(',').map((name) => name.trim()).filter(Boolean), expose, version };
}

function main(argv: readonly string[]): void {
  const options = parseArguments(argv);
  if (options === 'help') {
    console.log(HELP);
    return;
  }
  const result = newService(resolve(__dirname, '../..'), options);
  for (const file of result.created) console.log(`created ${file}`);
  for (const file of result.edited) console.log(`edited  ${file}`);
  if (result.productionEnvironments.length > 0) {
    console.log(`(${result.productionEnvironments.join(', ')}: autoscaling.minReplicas, which production requires)`);
  }
  console.log(`next: npm run synth; npm run start -- ${options.name}; npm test`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`new:service: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof ScaffoldError || error instanceof DescriptionShapeError) {
    console.error(`new:service: ${error.message}\nnothing was written`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
