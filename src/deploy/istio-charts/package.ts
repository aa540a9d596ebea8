/**
 * Packages Istio's Helm charts from the `istio.io/istio` Go module, as Istio's release-builder does for a release
 * (`pkg/build/helm.go`): the module's charts carry a placeholder version (`1.0.0`) and a testing hub and tag
 * (`registry.istio.io/testing`, `latest`); the release replaces them with its version, Docker Hub and the version tag,
 * then runs `helm package`. The result is the same `<chart>-<version>.tgz` files Istio publishes, for a local or
 * air-gapped install (`istioCharts` set to the directory) or a push to a private OCI registry. The charts come from the
 * newest commit of the release's minor that the Go module proxy serves (ISTIO.source), their CRDs from `istio.io/api`
 * at the release itself (ISTIO.api).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { downloadModule, makeWritable } from '../../toolchain/go';
import { toolchainBin } from '../../toolchain/index';
import { ISTIO, TOOLCHAIN } from '../../versions';
import { ISTIO_CHARTS, packagedChartFile, type IstioChartName } from './source';

/** What the release-builder rewrites: the testing hubs and the development tags of the module's values files. */
const TESTING_HUB = /^(\s*hub: )["']?(registry\.istio\.io\/testing|gcr\.io\/istio-testing|gcr\.io\/istio-release)["']?[ \t]*$/gm;
const DEVELOPMENT_TAG = /^(\s*tag: )["']?(latest|\S*-latest-daily|1\.\d+-dev)["']?[ \t]*$/gm;

/** The CRD file of the `base` chart, which its templates render. */
const BASE_CHART_CRDS = 'files/crd-all.gen.yaml';

/** The toolchain's helm (`npm run -s toolchain` builds it there). */
export function toolchainHelmPath(): string {
  return join(toolchainBin(), 'helm');
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The helm binary: `$HELM`, else `helm` on PATH, else the toolchain's ({@link toolchainHelmPath}).
 * @throws Error naming where it looked and the command that builds it
 */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HELM) {
    if (executable(env.HELM)) return env.HELM;
    throw new Error(`HELM=${env.HELM} is not an executable file. Fix: unset HELM, or point it at helm ${TOOLCHAIN.helm.release}`);
  }
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'helm')).find(executable);
  if (onPath) return onPath;
  const cached = toolchainHelmPath();
  if (executable(cached)) return cached;
  throw new Error(
    `helm not found: $HELM is unset, there is no helm on PATH and none at ${cached}. ` +
      `Fix: npm run -s toolchain   (builds helm ${TOOLCHAIN.helm.release} into that cache), or set HELM=/path/to/helm`,
  );
}

/** The directory of `istio.io/istio` at {@link ISTIO}`.source` in the Go module cache, downloading it if needed. */
export function istioModuleDir(): string {
  return downloadModule(ISTIO.source.goModule, ISTIO.source.goVersion).Dir;
}

/** The CRDs of an Istio release, from `istio.io/api` at its tag (the Go module cache, downloading it if needed). */
export function istioApiCrdsFile(api: { readonly goModule: string; readonly goVersion: string; readonly crds: string } = ISTIO.api): string {
  return join(downloadModule(api.goModule, api.goVersion).Dir, api.crds);
}

/** Every file named `name` under `dir`. */
function filesNamed(dir: string, names: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesNamed(path, names);
    return names.includes(entry.name) ? [path] : [];
  });
}

/**
 * Rewrites a chart directory in place as the release does: in every Chart.yaml and values.yaml, `version`/`appVersion`
 * from the placeholder to `version`, the testing hubs to `hub` and the development tags to `version`.
 * @throws Error when a file still names a testing hub or the chart's version is not `version` afterwards
 */
export function sanitizeChart(dir: string, version: string = ISTIO.version, hub: string = ISTIO.hub): void {
  const chart = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { name: string; version: string };
  const placeholder = String(chart.version);
  for (const file of filesNamed(dir, ['Chart.yaml', 'values.yaml'])) {
    let text = readFileSync(file, 'utf8');
    for (const field of ['version', 'appVersion']) {
      text = text.replace(new RegExp(`^(\\s*${field}: )["']?${placeholder.replace(/\./g, '\\.')}["']?[ \\t]*$`, 'gm'), `$1${version}`);
    }
    text = text.replace(TESTING_HUB, `$1${hub}`).replace(DEVELOPMENT_TAG, `$1${version}`);
    writeFileSync(file, text);
    // What is left of a testing image source (comments aside) would make the chart's defaults pull development builds.
    const left = text.split('\n').find((line) => /^\s*(hub|tag):/.test(line) && /istio-testing|istio\.io\/testing|\blatest\b/.test(line));
    if (left) throw new Error(`${file} still has "${left.trim()}" after rewriting; the release-builder's rules need an update`);
  }
  const rewritten = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { version: unknown; appVersion: unknown };
  if (String(rewritten.version) !== version || String(rewritten.appVersion) !== version) {
    throw new Error(`${dir}/Chart.yaml: version/appVersion are ${rewritten.version}/${rewritten.appVersion} after rewriting, expected ${version}`);
  }
}

/** Options of {@link packageIstioCharts}. */
export interface PackageOptions {
  /** Where the `.tgz` files go (created if absent). */
  readonly out: string;
  /** The helm binary. @default {@link findHelm} */
  readonly helm?: string;
  /** The `istio.io/istio` source tree. @default {@link istioModuleDir} */
  readonly source?: string;
  /** The release's CRDs, which replace the `base` chart's. @default {@link istioApiCrdsFile} */
  readonly crds?: string;
  /** Progress messages (stderr in the CLI). */
  readonly log?: (message: string) => void;
}

/** One packaged chart. */
export interface PackagedChart {
  readonly name: IstioChartName;
  readonly file: string;
}

/**
 * Copies the four charts out of the module, rewrites them ({@link sanitizeChart}) and runs `helm package` for each,
 * writing `<out>/<chart>-<ISTIO.version>.tgz`.
 */
export function packageIstioCharts(options: PackageOptions): PackagedChart[] {
  const log = options.log ?? (() => undefined);
  const helm = options.helm ?? findHelm();
  const source = options.source ?? istioModuleDir();
  const crds = options.crds ?? istioApiCrdsFile();
  log(`charts of ${ISTIO.source.goModule} ${ISTIO.source.release} as ${ISTIO.version} from ${source}, CRDs from ${crds}, helm ${helm}`);
  mkdirSync(options.out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'istio-charts-'));
  try {
    return ISTIO_CHARTS.map(({ name, moduleDir }) => {
      const from = join(source, moduleDir);
      if (!existsSync(join(from, 'Chart.yaml'))) throw new Error(`${from} has no Chart.yaml: is ${source} the istio.io/istio module?`);
      const dir = join(work, basename(moduleDir));
      cpSync(from, dir, { recursive: true });
      makeWritable(dir);
      sanitizeChart(dir);
      // The release's own CRDs: the charts may come from an earlier commit of the minor (src/versions.ts ISTIO.source).
      if (name === 'base') cpSync(crds, join(dir, BASE_CHART_CRDS));
      const declared = (parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { name: string }).name;
      if (declared !== name) throw new Error(`${from}/Chart.yaml names the chart ${declared}, expected ${name}`);
      const file = join(options.out, packagedChartFile(name));
      rmSync(file, { force: true });
      execFileSync(helm, ['package', dir, '--destination', options.out], { stdio: ['ignore', 'pipe', 'pipe'] });
      if (!existsSync(file)) throw new Error(`helm package wrote no ${file}`);
      log(`packaged ${file}`);
      return { name, file };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
