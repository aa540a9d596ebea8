/**
 * `npm run start -- <name>`: runs one service of services/ in this process, as its image does (`services/<name>/src/main.ts`),
 * configured by environment variables (PORT, LOG_LEVEL, the service's own; see docs/services.md).
 */
import { join } from 'node:path';
import { REPOSITORY_ROOT, serviceEntry, serviceNames } from './images/services';
import { didYouMean } from './description/suggest';

const [name, ...rest] = process.argv.slice(2);
const known = serviceNames();
if (!name || name === '--help' || name === '-h' || rest.length > 0) {
  (name === '--help' || name === '-h' ? console.log : console.error)(
    `Usage: npm run start -- <name>   (one of ${known.join(', ')}); e.g. PORT=8081 npm run start -- ${known[0] ?? '<name>'}`,
  );
  if (name !== '--help' && name !== '-h') process.exitCode = 2;
} else if (!known.includes(name)) {
  const guess = didYouMean(name, known);
  console.error(`start: no service "${name}" in services/ (services: ${known.join(', ')})${guess ? `; ${guess}` : ''}`);
  process.exitCode = 2;
} else {
  void import(join(REPOSITORY_ROOT, serviceEntry(name)));
}
