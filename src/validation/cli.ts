#!/usr/bin/env node
/**
 * CLI: validates any Kubernetes/Istio YAML.
 * `npm run -s validate -- [--format text|json] [--production] [--strict] [--one-set] [--kubernetes LIST] [--istio LIST] PATH...`
 * Exit code 0: no error finding; 1: at least one error finding; 2: usage error, unreadable/unparsable input, or a PATH
 * without any Kubernetes object.
 */
import { formatJson, formatText, type ReportedSet } from './format';
import { inputSets } from './input-sets';
import { InputError, loadFiles, type LoadedObjects, manifestFiles } from './load';
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

/** A command line the CLI cannot run: exit code 2, with the usage. */
export class UsageError extends Error {}

/**
 * Parses the command line (without `node` and the script). Versions are checked here, so an unknown one is a usage
 * error naming the known ones.
 *
 * @throws UsageError
 */
export function parseArguments(argv: readonly string[]): Arguments | 'help' {
  let format: Arguments['format'] = 'text';
  let production = false;
  let strict = false;
  let oneSet = false;
  let kubernetesVersions: string[] | undefined;
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
    else if (flag === '--strict') strict = true;
    else if (flag === '--one-set') oneSet = true;
    else if (flag === '--kubernetes') kubernetesVersions = parseVersionList(value());
    else if (flag === '--istio' || flag === '--istio-versions') istioVersions = parseVersionList(value());
    else if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag}`);
    else paths.push(flag);
  }
  const versions = { ...(kubernetesVersions ? { kubernetesVersions } : {}), ...(istioVersions ? { istioVersions } : {}) };
  try {
    resolveTargets(versions);
  } catch (error) {
    if (error instanceof UnknownVersionError) throw new UsageError(error.message);
    throw error;
  }
  if (paths.length === 0) throw new UsageError('no PATH given');
  return { format, paths, oneSet, options: { production, ...(strict ? { strict } : {}), ...versions } };
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
    loaded = inputSets(args.paths, args.oneSet).map((set) => ({ label: set.label, objects: loadFiles(set.files) }));
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

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), (text) => process.stdout.write(`${text}\n`), (text) => process.stderr.write(`${text}\n`));
}
