/**
 * Adds a service to the platform (`npm run new:service`): its code under services/<name>/, its tests under
 * test/services/<name>/, its entry in the description and the overrides production environments need. The new
 * description is resolved for every environment in memory first; files are written only when all of them resolve.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { environments } from '../config/environments';
import { platform } from '../config/platform';
import { DNS_LABEL_PATTERN } from '../description/formats';
import { combineOverrides } from '../description/overrides';
import { PlatformConfigError, resolvePlatformSpec } from '../description';
import { sloDefaultsSchema } from '../description/observability-schema';
import { PRODUCTION_MIN_REPLICAS } from '../description/rules';
import { ENVIRONMENTS, type EnvironmentOverrides, type PlatformDescription, type ServiceDescription } from '../description/types';
import { addServiceEntry, addServiceOverrides } from './description-edit';
import { resourceOf, serviceFiles } from './service-files';

/** Files the scaffold edits, relative to the repository root. */
export const PLATFORM_FILE = 'src/config/platform.ts';
export const ENVIRONMENTS_FILE = 'src/config/environments.ts';

/** What to add. */
export interface NewServiceOptions {
  /** Service name, a DNS label, e.g. `inventory-service`. */
  readonly name: string;
  /** Services it calls. @default [] */
  readonly calls?: readonly string[];
  /** Public path prefix at the ingress gateway, e.g. `/api/inventory`. @default internal only */
  readonly expose?: string;
  /** Name of its first version. @default 'v1' */
  readonly version?: string;
}

/** A request the scaffold refuses (an existing or invalid name, a description that would not resolve); nothing was written. */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
}

/** What was written, relative to the repository root. */
export interface ScaffoldResult {
  readonly created: readonly string[];
  readonly edited: readonly string[];
  /** Environments that got production overrides. */
  readonly productionEnvironments: readonly string[];
}

/** The latency objective a new service starts with: the schema's default (p99 under 500 ms, a histogram bucket). */
const NEW_SERVICE_LATENCY = sloDefaultsSchema.parse({}).latency;

/** `{ name: 'x', … }` as the description writes entries (single quotes, one field a line), at column 0. */
function entryText(entry: ServiceDescription): string {
  const value = (v: unknown): string => JSON.stringify(v).replace(/"([a-zA-Z_][a-zA-Z0-9_]*)":/g, '$1: ').replace(/"/g, "'")
    .replace(/\{(?=\S)/g, '{ ').replace(/(?<=\S)\}/g, ' }').replace(/,(?=\S)/g, ', ');
  const lines = Object.entries(entry).map(([key, v]) => `  ${key}: ${value(v)},`);
  return `{\n${lines.join('\n')}\n}`;
}

/** The refusals that need no resolution: the name's form and what already exists. */
function nameProblems(root: string, name: string): string[] {
  if (!DNS_LABEL_PATTERN.test(name)) {
    return [`"${name}" is not a valid service name: use a lowercase DNS label (a-z, 0-9 and inner '-', at most 63 characters), e.g. inventory-service`];
  }
  const problems: string[] = [];
  if (name === 'kit' || name === 'helpers') problems.push(`"${name}" is reserved (services/kit and test/services/helpers are shared code)`);
  if (platform.services.some((s) => s.name === name)) problems.push(`a service named "${name}" is already in ${PLATFORM_FILE}`);
  for (const dir of [`services/${name}`, `test/services/${name}`]) {
    if (existsSync(join(root, dir))) problems.push(`${dir} already exists`);
  }
  return problems;
}

/** Writes `text` to `file` through a `.partial` file renamed over it. */
function writeWhole(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.partial`, text);
  renameSync(`${file}.partial`, file);
}

/**
 * Adds the service.
 * @param root the repository root
 * @throws ScaffoldError naming every problem; nothing is written then
 */
export function newService(root: string, options: NewServiceOptions): ScaffoldResult {
  const { name, calls = [], expose, version = 'v1' } = options;
  const problems = nameProblems(root, name);
  if (problems.length > 0) throw new ScaffoldError(problems.join('\n'));

  const resource = `/${resourceOf(name)}`;
  const entry: ServiceDescription = {
    name,
    versions: [{ name: version }],
    ...(calls.length > 0 ? { calls: [...calls] } : {}),
    ...(expose ? { expose: expose === resource ? { prefix: expose } : { prefix: expose, rewrite: resource } } : {}),
    // The latency objective written out, for the author to tune; availability follows the environment's objective.
    slo: { latency: { ...NEW_SERVICE_LATENCY } },
  };
  const description: PlatformDescription = { ...platform, services: [...platform.services, entry] };
  const images = Object.fromEntries(description.services.map((s) => [s.name, `${platform.registry}/${s.name}:scaffold-check`]));
  const productionOverrides: EnvironmentOverrides = { services: { [name]: { autoscaling: { minReplicas: PRODUCTION_MIN_REPLICAS } } } };
  const productionEnvironments: string[] = [];
  const errors: string[] = [];
  for (const environment of ENVIRONMENTS) {
    const production = environments[environment].production === true;
    if (production) productionEnvironments.push(environment);
    const overrides = production ? combineOverrides(environments[environment], productionOverrides) : environments[environment];
    try {
      resolvePlatformSpec({ description, environment, overrides, images });
    } catch (error) {
      if (!(error instanceof PlatformConfigError)) throw error;
      errors.push(error.message);
    }
  }
  if (errors.length > 0) throw new ScaffoldError(errors.join('\n'));

  let platformText = addServiceEntry(readFileSync(join(root, PLATFORM_FILE), 'utf8'), entryText(entry));
  let environmentsText = readFileSync(join(root, ENVIRONMENTS_FILE), 'utf8');
  for (const environment of productionEnvironments) {
    environmentsText = addServiceOverrides(environmentsText, environment, name, `{ autoscaling: { minReplicas: ${PRODUCTION_MIN_REPLICAS} } }`);
  }
  platformText = platformText.replace(/\r?\n*$/, '\n');

  const files = serviceFiles({ name, calls });
  for (const [file, text] of Object.entries(files)) writeWhole(join(root, file), text);
  const edited = [PLATFORM_FILE, ...(productionEnvironments.length > 0 ? [ENVIRONMENTS_FILE] : [])];
  writeWhole(join(root, PLATFORM_FILE), platformText);
  if (productionEnvironments.length > 0) writeWhole(join(root, ENVIRONMENTS_FILE), environmentsText);
  return { created: Object.keys(files), edited, productionEnvironments };
}
