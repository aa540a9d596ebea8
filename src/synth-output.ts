/**
 * Writes environments to disk for `npm run synth` / `cdk8s synth`. Every environment is resolved before anything is
 * written, so an invalid configuration reports the problems of all environments at once and leaves every earlier
 * output untouched; each environment's directory is then replaced whole (written beside it, renamed into place), so
 * nothing from an earlier run (a removed chart) is left behind and no directory is ever half written.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { imageReferences } from './images';
import { writeManifest } from './manifest-yaml';
import { platformDashboards } from './observability/dashboards/dashboards';
import { dashboardConfigMapName } from './description/names/observability';
import { addPlatformChart, loadPlatformSpec } from './platform';
import { PlatformConfigError, type EnvironmentName, type PlatformDescription, type PlatformSpec } from './description';
import { writeConstructMetadata } from './validation/construct-metadata';

/** The configuration problems of every failing environment, one line each; nothing was written. */
export class SynthesisConfigError extends Error {
  constructor(readonly errors: readonly PlatformConfigError[]) {
    super(`${errors.map((error) => error.message).join('\n')}\nnothing was written`);
    this.name = 'SynthesisConfigError';
  }
}

/** Props of {@link writeEnvironments}. */
export interface WriteEnvironmentsOptions {
  /** Output root; each environment goes to `<outdir>/<env>/`. */
  readonly outdir: string;
  /** Environments to write, in order. */
  readonly environments: readonly EnvironmentName[];
  /** Also write `.cdk8s/construct-metadata.json` per environment (what `cdk8s synth` asks for). @default false */
  readonly constructMetadata?: boolean;
  /** The description to synthesize. @default the project's `src/config/platform.ts` */
  readonly description?: PlatformDescription;
}

/** One environment written. */
export interface WrittenEnvironment {
  readonly environment: EnvironmentName;
  /** The manifest file, `<outdir>/<env>/<platform>.k8s.yaml`. */
  readonly file: string;
  /** The Grafana dashboards for import, `<outdir>/<env>/dashboards/<uid>.grafana.json` (none without a Prometheus). */
  readonly dashboards: readonly string[];
  /** How many objects it holds. */
  readonly objects: number;
  /** How many of each kind, in order of first appearance (apply order). */
  readonly kinds: Readonly<Record<string, number>>;
  /** Time taken to synthesize and write it, in milliseconds (resolution of all environments not included). */
  readonly milliseconds: number;
}

/**
 * Resolves every environment, then writes each.
 * @throws SynthesisConfigError naming every problem of every environment, before anything is written
 */
export function writeEnvironments(options: WriteEnvironmentsOptions): WrittenEnvironment[] {
  const specs: PlatformSpec[] = [];
  const errors: PlatformConfigError[] = [];
  for (const environment of options.environments) {
    try {
      specs.push(loadPlatformSpec(environment, { images: imageReferences, description: options.description }));
    } catch (error) {
      if (!(error instanceof PlatformConfigError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new SynthesisConfigError(errors);
  return specs.map((spec) => {
    const started = performance.now();
    const envOutdir = join(options.outdir, spec.environment);
    const partial = `${envOutdir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    const objects = synthesizeEnvironment(spec, partial, options.constructMetadata ?? false);
    // Written as `app.synth()` writes the chart (same file, same bytes), only faster.
    writeManifest(join(partial, `${spec.name}.k8s.yaml`), objects);
    writeDashboards(spec, objects, partial);
    rmSync(envOutdir, { recursive: true, force: true });
    renameSync(partial, envOutdir);
    const kinds: Record<string, number> = {};
    for (const { kind } of objects) kinds[kind] = (kinds[kind] ?? 0) + 1;
    const milliseconds = Math.round(performance.now() - started);
    const dashboards = platformDashboards(spec).map(({ uid }) => join(envOutdir, DASHBOARDS_DIR, dashboardFileName(uid)));
    return { environment: spec.environment, file: join(envOutdir, `${spec.name}.k8s.yaml`), dashboards, objects: objects.length, kinds, milliseconds };
  });
}

/**
 * The environment's chart synthesized once into its objects, and its construct metadata written into `partial` when
 * asked. The construct tree is dropped on return, before the objects are written: held while they were, it kept the
 * peak memory of `npm run synth` at 1,000 services near 1 GB in half of the runs (about 800 MB without it).
 */
function synthesizeEnvironment(spec: PlatformSpec, partial: string, constructMetadata: boolean): EnvironmentObject[] {
  // cdk8s' own metadata (CDK8S_RECORD_CONSTRUCT_METADATA) would land beside the manifests, where kubectl reads it.
  const app = new App({ outdir: partial, yamlOutputType: YamlOutputType.FILE_PER_CHART, recordConstructMetadata: false });
  const objects = addPlatformChart(app, spec).toJson() as EnvironmentObject[];
  if (constructMetadata) writeConstructMetadata(app, partial);
  return objects;
}

/**
 * Folder of the dashboards' JSON files beside an environment's manifests: a subfolder, which `kubectl apply -f
 * dist/<env>/` does not read; the validator skips `*.grafana.json` files wherever they are.
 */
export const DASHBOARDS_DIR = 'dashboards';

/** File name of a dashboard for import. */
export const dashboardFileName = (uid: string) => `${uid}.grafana.json`;

/** What {@link writeDashboards} reads of a synthesized object. */
interface SynthesizedObject {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly data?: Readonly<Record<string, string>>;
}

/** A synthesized object of the platform's chart: its kind is always set. */
type EnvironmentObject = SynthesizedObject & { readonly kind: string };

/**
 * Writes the environment's dashboards as JSON files for Grafana's import into `<envOutdir>/dashboards/` (`envOutdir`
 * must exist): the JSON its dashboard ConfigMaps carry, byte for byte, taken from the synthesized `objects` rather
 * than serialized again (18 MB per environment at 1,000 services).
 */
export function writeDashboards(spec: PlatformSpec, objects: readonly SynthesizedObject[], envOutdir: string): void {
  const dashboards = platformDashboards(spec);
  if (dashboards.length === 0) return;
  const configMaps = new Map(objects.filter((object) => object.kind === 'ConfigMap').map((object) => [object.metadata?.name, object]));
  mkdirSync(join(envOutdir, DASHBOARDS_DIR));
  for (const { uid } of dashboards) {
    const json = configMaps.get(dashboardConfigMapName(uid))?.data?.[`${uid}.json`];
    if (json === undefined) throw new Error(`dashboard ${uid}: no ConfigMap ${dashboardConfigMapName(uid)} holds ${uid}.json`);
    writeFileSync(join(envOutdir, DASHBOARDS_DIR, dashboardFileName(uid)), json);
  }
}
