/**
 * Where Istio's Helm charts come from, and how each kind of source becomes the `chart`/`repositoryOpts` inputs of a
 * `@pulumi/kubernetes` `helm.v3.Release` (pure; no I/O).
 *
 * How the provider (4.25.0, `provider/pkg/provider/helm_release.go`) resolves a chart, which decides the shapes below:
 * - An `oci://` chart reference is pulled from the registry as is; with `repositoryOpts.repo` set to an `oci://` URL and
 *   a bare chart name it would instead look for a classic repository's `index.yaml` there, and fail. So an OCI chart is
 *   `chart: 'oci://<registry>/<chart>'` with no `repositoryOpts`.
 * - A classic Helm repository is `chart: '<chart>'` with `repositoryOpts.repo` (its `index.yaml` is fetched).
 * - Without `repositoryOpts`, a chart that exists as a path (a directory with Chart.yaml, or a packaged `.tgz`) is loaded
 *   from disk; the path is resolved against the provider's working directory, so it is made absolute at the edge.
 */
import { ISTIO } from '../../versions';

/** The charts the program installs (`ztunnel` only for ambient), in installation order, with their folder in the `istio.io/istio` module. */
export const ISTIO_CHARTS = [
  { name: 'base', moduleDir: 'manifests/charts/base' },
  // The folder is istio-cni; the chart (Chart.yaml `name`, and the name in Istio's repositories) is `cni`.
  { name: 'cni', moduleDir: 'manifests/charts/istio-cni' },
  { name: 'istiod', moduleDir: 'manifests/charts/istio-control/istio-discovery' },
  { name: 'gateway', moduleDir: 'manifests/charts/gateway' },
  // Ambient mode's node proxy (installed only for an ambient data plane).
  { name: 'ztunnel', moduleDir: 'manifests/charts/ztunnel' },
] as const;

/** A chart name the program installs. */
export type IstioChartName = (typeof ISTIO_CHARTS)[number]['name'];

/** Where the charts come from (stack config `istioCharts`). */
export type IstioChartSource =
  /** An OCI registry holding `<url>/<chart>:<version>` (Istio's is {@link ISTIO.ociCharts}; or a mirror). */
  | { readonly kind: 'oci'; readonly url: string }
  /** A classic Helm repository with an `index.yaml` (Istio's is {@link ISTIO.helmRepository}; or a mirror). */
  | { readonly kind: 'repository'; readonly url: string }
  /** A directory of packaged charts `<chart>-<version>.tgz`, as `npm run -s istio:charts -- --out <dir>` writes them. */
  | { readonly kind: 'directory'; readonly path: string };

/** The default source: Istio's own OCI registry. */
export const DEFAULT_ISTIO_CHART_SOURCE: IstioChartSource = { kind: 'oci', url: ISTIO.ociCharts };

/** The file name `helm package` gives a chart: `<chart>-<version>.tgz`. */
export function packagedChartFile(chart: IstioChartName, version: string = ISTIO.version): string {
  return `${chart}-${version}.tgz`;
}

/**
 * Parses the `istioCharts` config value: `oci://…` (an OCI registry), `https://…`/`http://…` (a Helm repository), or a
 * directory path that is absolute or starts with `./`/`../` (so that a bare word is not taken for a path by mistake).
 * @returns the source, or a message saying what is wrong.
 */
export function parseIstioChartSource(text: string): IstioChartSource | { readonly problem: string } {
  const trimmed = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  // Without trailing slashes (but `/` stays a path, and `oci://` stays a scheme with nothing after it).
  const value = trimmed.replace(/([^/:])\/+$/, '$1');
  if (scheme === 'oci') {
    return /^oci:\/\/[^/\s]+(\/[^\s]*)?$/i.test(value) ? { kind: 'oci', url: value } : { problem: 'is not an OCI registry URL like oci://ghcr.io/istio/release/charts' };
  }
  if (scheme === 'https' || scheme === 'http') {
    try {
      new URL(value);
    } catch {
      return { problem: 'is not a valid Helm repository URL' };
    }
    return { kind: 'repository', url: value };
  }
  if (scheme !== undefined) return { problem: `has an unsupported scheme ${scheme}:// (expected oci://, https:// or a directory path)` };
  if (value.startsWith('/') || value.startsWith('./') || value.startsWith('../') || value === '.' || value === '..') {
    return { kind: 'directory', path: value };
  }
  return { problem: 'is neither oci://…, https://… nor a directory path (absolute, or starting with ./ or ../)' };
}

/** How one chart of a source is given to `helm.v3.Release`. */
export interface ReleaseChart {
  /** The Release's `chart` input. */
  readonly chart: string;
  /** The Release's `repositoryOpts` input (classic repositories only). */
  readonly repositoryOpts?: { readonly repo: string };
}

/** The `chart` (and `repositoryOpts`) that install `chart` at `version` from `source`. */
export function releaseChart(source: IstioChartSource, chart: IstioChartName, version: string = ISTIO.version): ReleaseChart {
  switch (source.kind) {
    case 'oci':
      return { chart: `${source.url}/${chart}` };
    case 'repository':
      return { chart, repositoryOpts: { repo: source.url } };
    case 'directory':
      return { chart: `${source.path.replace(/\/+$/, '')}/${packagedChartFile(chart, version)}` };
  }
}
