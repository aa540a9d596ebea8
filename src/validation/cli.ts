/**
 * CLI: validates any Kubernetes/Istio YAML. `npm run -s validate -- [--format text|json] [--production] PATH...`
 * Exit code 0: no error finding; 1: at least one error finding; 2: usage error or unreadable/unparsable input.
 */
import { formatJson, formatText } from './format';
import { InputError, loadManifests } from './load';
import { AVAILABLE_ISTIO_VERSIONS } from './schema/registry';
import type { ValidateOptions } from './types';
import { hasErrors, validateObjects } from './validate';

const USAGE = `usage: npm run -s validate -- [options] PATH...

Validates Kubernetes 1.27 and Istio manifests (schema, references, policy) without a cluster.
PATH is a YAML/JSON file or a directory (searched recursively); all PATHs are validated together.

options:
  --format text|json        output format (default: text)
  --production              apply the production rules (replicas >= 2, PodDisruptionBudget) to every namespace
  --istio-versions LIST     comma-separated Istio schema versions to check against (default: all of ${AVAILABLE_ISTIO_VERSIONS.join(', ')})
  -h, --help                show this help

exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error or unreadable input`;

/** Parsed command line. */
interface Arguments {
  readonly format: 'text' | 'json';
  readonly paths: string[];
  readonly options: ValidateOptions;
}

class UsageError extends Error {}

function parseArguments(argv: readonly string[]): Arguments | 'help' {
  let format: Arguments['format'] = 'text';
  let production = false;
  let istioVersions: string[] | undefined;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '-h' || flag === '--help') return 'help';
    else if (flag === '--format') {
      const chosen = value();
      if (chosen !== 'text' && chosen !== 'json') throw new UsageError(`--format must be text or json, got "${chosen}"`);
      format = chosen;
    } else if (flag === '--production') production = true;
    else if (flag === '--istio-versions') {
      istioVersions = value().split(',').map((version) => version.trim());
      const unknown = istioVersions.filter((version) => !AVAILABLE_ISTIO_VERSIONS.includes(version));
      if (unknown.length > 0) throw new UsageError(`no schemas for Istio ${unknown.join(', ')} (available: ${AVAILABLE_ISTIO_VERSIONS.join(', ')})`);
    } else if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag}`);
    else paths.push(flag);
  }
  if (paths.length === 0) throw new UsageError('no PATH given');
  return { format, paths, options: { production, ...(istioVersions ? { istioVersions } : {}) } };
}

/** Runs the CLI; returns the exit code. Output goes to `out` (report) and `err` (usage and input errors). */
export function main(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): number {
  let args: Arguments | 'help';
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`validate: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    out(USAGE);
    return 0;
  }
  let loaded;
  try {
    loaded = loadManifests(args.paths);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    err(`validate: ${error.message}`);
    return 2;
  }
  const findings = validateObjects(loaded.objects, { ...args.options, sources: loaded.sources });
  out(args.format === 'json' ? formatJson(findings, loaded.objects.length) : formatText(findings, loaded.objects.length));
  return hasErrors(findings) ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), (text) => process.stdout.write(`${text}\n`), (text) => process.stderr.write(`${text}\n`));
}
