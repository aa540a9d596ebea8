#!/usr/bin/env node
/**
 * CLI: validates any Kubernetes/Istio YAML.
 * `npm run -s validate -- [--format text|json] [--production] [--strict] [--one-set] [--kubernetes LIST] [--istio LIST] PATH...`
 * Exit code 0: no error finding; 1: at least one error finding; 2: usage error, unreadable/unparsable input, or a PATH
 * without any Kubernetes object.
 */
import { parseCommandLine, UsageError } from '../cli/usage';
import { formatJson, formatText, type ReportedSet } from './format';
import { inputSets } from './input-sets';
import { InputError, loadFiles, type LoadedObjects, manifestFiles } from './load';
import { ParseCache } from './parse-cache';
import { DEFAULT_ISTIO_VERSIONS, DEFAULT_KUBERNETES_VERSIONS, knownVersions, parseVersionList, resolveTargets, UnknownVersionError } from './targets';
import type { ValidateOptions } from './types';
import { hasErrors, validateObjects } from './validate';

const KNOWN = knownVersions();

const USAGE = `usage: npm run -s validate -- [options] PATH...

Validates Kubernetes and Istio manifests (schema, references, policy) without a cluster, against every version asked for.
PATH is a YAML/JSON file or a directory (searched recursively); all PATHs are validated together as one set of
objects, except a directory of environments (no manifest of its own, manifests in two or more subdirectories, as
dist/ of \`npm run synth\`): each subdirectory is validated as its own set.

options:
  --format text|json        output format (default: text)
  --production              apply the production rules (replicas >= 2, PodDisruptionBudget) to every namespace
  --strict                  judge as \`istioctl analyze\` does where the defaults take a stance (docs/validation.md):
                            istio-system is checked when in the input, the default ingress gateway is assumed installed,
                            a Gateway selector matching nothing is an error, and so is a host without its Service
                            in a routing-only input
  --one-set                 validate every PATH together as one set, even a directory of environments
  --kubernetes LIST         comma-separated Kubernetes API levels to check against (default: ${DEFAULT_KUBERNETES_VERSIONS.join(',')};
                            known: ${KNOWN.kubernetes.join(', ')}); each must serve every object's apiVersion/kind
  --istio LIST              comma-separated Istio releases to check Istio objects against (default: ${DEFAULT_ISTIO_VERSIONS.join(',')};
                            known: ${KNOWN.istio.join(', ')}); --istio-versions is the same option
  -h, --help                show this help

exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error, unreadable input, or a PATH holding no
Kubernetes object`;

/** Parsed command line. */
export interface Arguments {
  readonly format: 'text' | 'json';
  readonly paths: string[];
  /** Validate every PATH as one set (no split of a directory of environments). */
  readonly oneSet: boolean;
  readonly options: ValidateOptions;
}

/** The CLI's options, as `util.parseArgs` takes them. */
const OPTIONS = {
  format: { type: 'string' },
  production: { type: 'boolean' },
  strict: { type: 'boolean' },
  'one-set': { type: 'boolean' },
  kubernetes: { type: 'string' },
  istio: { type: 'string' },
  'istio-versions': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses the command line (without `node` and the script). Versions are checked here, so an unknown one is a usage
 * error naming the known ones.
 *
 * @throws UsageError
 */
export function parseArguments(argv: readonly string[]): Arguments | 'help' {
  const { values, positionals: paths } = parseCommandLine(argv, OPTIONS);
  if (values.help) return 'help';
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
  const istio = values.istio ?? values['istio-versions'];
  const versions = {
    ...(values.kubernetes !== undefined ? { kubernetesVersions: parseVersionList(values.kubernetes) } : {}),
    ...(istio !== undefined ? { istioVersions: parseVersionList(istio) } : {}),
  };
  try {
    resolveTargets(versions);
  } catch (error) {
    if (error instanceof UnknownVersionError) throw new UsageError(error.message);
    throw error;
  }
  if (paths.length === 0) throw new UsageError('no PATH given');
  return { format, paths, oneSet: values['one-set'] ?? false, options: { production: values.production ?? false, ...(values.strict ? { strict: true } : {}), ...versions } };
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
  let loaded: { label: string; objects: LoadedObjects }[];
  try {
    const cache = new ParseCache();
    loaded = inputSets(args.paths, args.oneSet).map((set) => ({ label: set.label, objects: loadFiles(set.files, cache) }));
    const read = new Set(loaded.flatMap((set) => set.objects.sources.map((source) => source.file)));
    for (const path of args.paths) {
      if (!manifestFiles(path).some((file) => read.has(file))) {
        throw new InputError(`${path}: no Kubernetes object found (no .yaml, .yml or .json manifest with an object)`);
      }
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    err(`validate: ${error.message}`);
    return 2;
  }
  const reported: ReportedSet[] = loaded.map(({ label, objects }) => ({
    label,
    objects: objects.objects.length,
    findings: validateObjects(objects.objects, { ...args.options, sources: objects.sources }),
  }));
  out(args.format === 'json' ? formatJson(reported) : formatText(reported));
  return reported.some((set) => hasErrors(set.findings)) ? 1 : 0;
}

// The program: run directly, or from the bundle src/build-cache/run-entry.js runs, which names this file in process.argv[1].
if (require.main === module || process.argv[1] === __filename) {
  process.exitCode = main(process.argv.slice(2), (text) => process.stdout.write(`${text}\n`), (text) => process.stderr.write(`${text}\n`));
}
