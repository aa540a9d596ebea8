/**
 * Every version the project depends on outside npm, in one place: the Istio it installs and validates against, the
 * Kubernetes API levels it validates against and tests on, the Gateway API, and the Go-built toolchain of the
 * real-cluster tests (`npm run -s toolchain`). Read by the deploy program, the validator, the toolchain and the docs
 * (docs/compatibility.md), so a version bump is one edit here plus `npm run toolchain`.
 *
 * Go modules are named with the exact version the Go module proxy serves; where a project has no Go tags of its own
 * (Istio tags carry no `v`; pulumi-kubernetes' provider module and Pulumi's nodejs language host are untagged), the
 * pseudo-version of the release commit is given next to the release it is.
 */

/** Where `istio.io/api` keeps every Istio CRD (the `base` chart's `files/crd-all.gen.yaml` is a copy of it). */
const ISTIO_API_CRDS = 'kubernetes/customresourcedefinitions.gen.yaml';

/**
 * The Istio release the Pulumi program installs and whose CRDs the validator checks by default, and where each part of
 * it comes from (docs/compatibility.md "Where Istio comes from"). The Go module proxy serves `istio.io/api` at every
 * release tag, but `istio.io/istio` (charts, istioctl) only at a few commits, and it has withdrawn commits before
 * (1.31.1's): so the CRDs come from `istio.io/api` at exactly this release, and the charts and istioctl from the newest
 * `istio.io/istio` commit the proxy serves for this minor ({@link ISTIO.source}), packaged with this release's version
 * and images.
 */
export const ISTIO = {
  /** Release version (chart version and image tag). */
  version: '1.31.4',
  /** `istio.io/api` at the release's tag: its `crds` file holds every Istio CRD of the release. */
  api: { goModule: 'istio.io/api', goVersion: 'v1.31.4', crds: ISTIO_API_CRDS },
  /**
   * `istio.io/istio` at the newest commit of this minor that the proxy serves (the one tagged `1.31.0`): the source of
   * the charts (`manifests/charts`, whose `base` CRDs are replaced by {@link ISTIO.api}'s) and of istioctl.
   */
  source: { release: '1.31.0', goModule: 'istio.io/istio', goVersion: 'v0.0.0-20260827124520-eed52ebb66ad' },
  /** Where the release's images are published (Docker Hub; `gcr.io/istio-release` receives nothing from 1.31 on). */
  hub: 'docker.io/istio',
  /** Istio's OCI chart registry, the default chart source (the Google-hosted chart repository is switched off). */
  ociCharts: 'oci://ghcr.io/istio/release/charts',
  /** Istio's classic Helm chart repository, the alternative chart source. */
  helmRepository: 'https://blob.istio.io/istio-release/charts',
  /** Kubernetes minor versions this Istio release supports (Istio's support matrix). */
  kubernetes: { min: '1.32', max: '1.37' },
  /**
   * The `global.platform` values this release's charts carry a profile for (`files/profile-platform-<name>.yaml` in
   * the istio-cni and istiod charts; the e2e test checks the packaged charts against this list).
   */
  platforms: ['gke', 'k3d', 'k3s', 'microk8s', 'minikube', 'openshift'],
  /** The images the release's charts run from {@link ISTIO.hub} at tag {@link ISTIO.version} (ztunnel: ambient mode). */
  images: ['pilot', 'proxyv2', 'install-cni', 'ztunnel'],
} as const;

/**
 * The release the e2e upgrades from (CRDs first, as docs/istio.md describes): the newest patch of the previous minor,
 * its CRDs from `istio.io/api` at that tag.
 */
export const ISTIO_UPGRADE_FROM = { version: '1.30.8', api: { goModule: 'istio.io/api', goVersion: 'v1.30.8', crds: ISTIO_API_CRDS } } as const;

/**
 * Istio releases whose CRD schemas the validator carries (imports/schemas), oldest first. The validator checks
 * {@link ISTIO_DEFAULT_SCHEMA_VERSIONS} unless told otherwise; 1.22.8 (end of life, the first with the v1 APIs) is
 * kept for clusters that still run it, on request (`--istio 1.22.8`).
 */
export const ISTIO_SCHEMA_VERSIONS = ['1.22.8', ISTIO_UPGRADE_FROM.version, ISTIO.version] as const;

/** The Istio releases the platform supports and the validator checks by default: the previous minor and the installed one. */
export const ISTIO_DEFAULT_SCHEMA_VERSIONS = [ISTIO_UPGRADE_FROM.version, ISTIO.version] as const;

/** Kubernetes API levels the validator knows: the floor (cdk8s-plus-27's API level) and a current release. */
export const KUBERNETES_API = {
  /** The API level of cdk8s-plus-27, the oldest the manifests target. */
  floor: '1.27',
  /** A current upstream release: what the e2e cluster runs and the validator's second target. */
  current: '1.36',
} as const;

/**
 * The Gateway API release Istio {@link ISTIO} is built against (its go.mod). Its CRDs come in two channels
 * (imports/crds/gateway-api-<version>-<channel>.yaml): `standard` by default, `experimental` for an environment with
 * `mesh.gatewayApiChannel: 'experimental'` (HTTPRoute `retry`; docs/modes.md).
 */
export const GATEWAY_API = { version: 'v1.6.0', goModule: 'sigs.k8s.io/gateway-api' } as const;

/**
 * The Prometheus Operator whose `monitoring.coreos.com` CRDs (PodMonitor, ServiceMonitor, PrometheusRule,
 * AlertmanagerConfig) the platform generates objects for: imports/crds/prometheus-operator-<version>.yaml, the
 * bindings, the validator's schemas, and what the Pulumi program installs (`observability.crds: 'install'`).
 * v0.85.0 is the only version the Go module proxy serves of the module.
 */
export const PROMETHEUS_OPERATOR = { version: 'v0.85.0', goModule: 'github.com/prometheus-operator/prometheus-operator' } as const;

/**
 * KEDA, whose ScaledObject scales a service on its request rate (`autoscaling.requestsPerSecond`):
 * imports/crds/keda-<version>.yaml. v2.20.2 rather than the newest served (v2.21.1), whose go.mod requires a newer Go
 * than the toolchain's, so `go mod download` would not extract it.
 */
export const KEDA = { version: 'v2.20.2', goModule: 'github.com/kedacore/keda/v2' } as const;

/**
 * Flagger, which runs the rollouts of the services an environment delivers progressively (docs/delivery.md): its
 * CRDs (imports/crds/flagger-<version>.yaml, from `artifacts/flagger/crd.yaml` of the module), the bindings and the
 * validator's schemas, and the controller the toolchain builds ({@link TOOLCHAIN}`.flagger`). The Go module proxy serves
 * v1.44.0 although its version list shows only v1.36.1.
 */
export const FLAGGER = { version: 'v1.44.0', goModule: 'github.com/fluxcd/flagger' } as const;

/** One Go-built tool of the toolchain: a module at a version and the packages to build from it. */
export interface GoTool {
  /** Module path. */
  readonly module: string;
  /** Version as the Go module proxy serves it (a tag or a pseudo-version). */
  readonly version: string;
  /** The release this is, for `--version` ldflags and the docs. */
  readonly release: string;
}

/** The Go-built toolchain of the real-cluster tests (see src/toolchain). */
export const TOOLCHAIN = {
  /** kube-apiserver, kube-controller-manager, kube-scheduler, kubectl; staging modules at `v0.<minor>.<patch>`. */
  kubernetes: { module: 'k8s.io/kubernetes', version: 'v1.36.3', release: 'v1.36.3' },
  /** etcd, the API server's store (Debian's 3.4 is too old for a current API server). */
  etcd: { module: 'go.etcd.io/etcd/server/v3', version: 'v3.6.16', release: 'v3.6.16' },
  /** kwok and kwokctl: fake nodes, and the cluster launcher with its binary runtime. */
  kwok: { module: 'sigs.k8s.io/kwok', version: 'v0.8.0', release: 'v0.8.0' },
  /** helm, to render and package Istio's charts. */
  helm: { module: 'helm.sh/helm/v3', version: 'v3.22.0', release: 'v3.22.0' },
  /** The Pulumi CLI and engine, at the release of `@pulumi/pulumi` in package-lock.json (a test checks it). */
  pulumi: { module: 'github.com/pulumi/pulumi/pkg/v3', version: 'v3.248.0', release: '3.248.0' },
  /**
   * The Kubernetes provider plugin at the commit of the `@pulumi/kubernetes` release in package-lock.json (a test
   * checks it). v4.25.0 is the newest release whose provider module the Go module proxy serves here.
   */
  pulumiKubernetes: {
    module: 'github.com/pulumi/pulumi-kubernetes/provider/v4',
    version: 'v4.0.0-20260115033456-f47bc2d6f199',
    release: '4.25.0',
  },
  /** istioctl (`istioctl analyze` on the output) at the Istio release the program installs. */
  istioctl: { module: ISTIO.source.goModule, version: ISTIO.source.goVersion, release: ISTIO.source.release },
  /** kubeconform, the schema validator the validator is measured against (bench/kubeconform.ts), on the same schemas. */
  kubeconform: { module: 'github.com/yannh/kubeconform', version: 'v0.7.0', release: 'v0.7.0' },
  /** actionlint, the GitHub workflow linter CI runs on .github/workflows (with Debian's shellcheck for `run:` blocks). */
  actionlint: { module: 'github.com/rhysd/actionlint', version: 'v1.7.12', release: 'v1.7.12' },
  /** Prometheus and promtool (Prometheus 3.16): the generated rules and queries are checked and run against them. */
  prometheus: { module: 'github.com/prometheus/prometheus', version: 'v0.316.0', release: '3.16.0' },
  /** Alertmanager and amtool: the generated alert routing is checked and a real alert is delivered through it. */
  alertmanager: { module: 'github.com/prometheus/alertmanager', version: 'v0.35.0', release: 'v0.35.0' },
  /** Jaeger (the v2 binary: an OTLP receiver and the query API), the trace backend of the services' tracing test. */
  jaeger: { module: 'github.com/jaegertracing/jaeger', version: 'v1.75.0', release: 'v1.75.0' },
  /**
   * Flagger ({@link FLAGGER}, the release whose CRDs the platform generates for), the progressive-delivery controller,
   * run for real against the e2e cluster and a real Prometheus; its go.mod has no replaces.
   */
  flagger: { module: FLAGGER.goModule, version: FLAGGER.version, release: FLAGGER.version },
} as const satisfies Record<string, GoTool>;

/**
 * The Kubernetes releases whose OpenAPI definitions the validator's schemas are generated from, one per API level of
 * {@link KUBERNETES_API}: `k8s.io/kubernetes` at that version, api/openapi-spec/swagger.json (imports/generate-schemas.ts).
 * The current level's is the release the real-cluster tests run ({@link TOOLCHAIN}).
 */
export const KUBERNETES_SCHEMA_RELEASES = {
  [KUBERNETES_API.floor]: 'v1.27.0',
  [KUBERNETES_API.current]: TOOLCHAIN.kubernetes.version,
} as const;
