/**
 * `npm run start -- <name>`: runs one service of services/ in this process, as its image does (`services/<name>/src/main.ts`),
 * configured by environment variables (PORT, LOG_LEVEL, the service's own; see docs/services.md).
 */
import { join } from 'node:path';
import { REPOSITORY_ROOT, serviceEntry, serviceNames } from './images/services';
import { didYouMean } from './description/suggest';
import { parseCommandLine, UsageError } from './cli/usage';

const known = serviceNames();
const USAGE = `Usage: npm run start -- <name>   (one of ${known.join(', ')}); e.g. PORT=8081 npm run start -- ${known[0] ?? '<name>'}`;

/** The service to run, or undefined for `--help`. */
function serviceToRun(argv: readonly string[]): string | undefined {
  const { values, positionals } = parseCommandLine(argv, { help: { type: 'boolean', short: 'h' } }, '; see npm run start -- --help');
  if (values.help) return undefined;
  const [name, ...rest] = positionals;
  if (!name || rest.length > 0) throw new UsageError(USAGE);
  if (!known.includes(name)) {
    const guess = didYouMean(name, known);
    throw new UsageError(`no service "${name}" in services/ (services: ${known.join(', ')})${guess ? `; ${guess}` : ''}`);
  }
  return name;
}

try {
  const name = serviceToRun(process.argv.slice(2));
  if (name === undefined) console.log(USAGE);
  else void import(join(REPOSITORY_ROOT, serviceEntry(name)));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message === USAGE ? USAGE : `start: ${error.message}`);
  process.exitCode = 2;
}
