import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLCHAIN, type GoTool } from '../versions';
import { downloadModule, ldflags, localReplaces, makeWritable, runGo, writeWrapperModule } from './go';

/** Where one tool is built: a scratch directory for its module and the directory its binaries go to. */
export interface BuildDirs {
  /** Writable scratch directory (wrapper module, copied sources). */
  readonly work: string;
  /** Where the binaries must end up. */
  readonly bin: string;
}

/** How one tool of the toolchain is built from its Go module. */
export interface Recipe {
  /** Step name shown in progress and errors. */
  readonly name: string;
  /** Module and version (src/versions.ts). */
  readonly tool: GoTool;
  /** The binaries the step produces. */
  readonly binaries: readonly string[];
  /** Builds the binaries into `dirs.bin`. */
  build(dirs: BuildDirs): Promise<void>;
}

const kubernetes = TOOLCHAIN.kubernetes;
/** Staging modules (k8s.io/api, …) are published as v0.<minor>.<patch> for Kubernetes v1.<minor>.<patch>. */
const stagingVersion = kubernetes.version.replace(/^v1\./, 'v0.');
const [, kubeMajor, kubeMinor] = /^v(\d+)\.(\d+)\./.exec(kubernetes.release) ?? [];

/**
 * Flags of every build: paths trimmed, and no DWARF debug information compiled (the binaries are stripped anyway, see
 * `ldflags`): about 7% less CPU time for a cold build, measured on helm (docs/e2e.md).
 */
const BUILD_FLAGS = ['-trimpath', '-gcflags=all=-dwarf=false'] as const;

/** Options of {@link buildWithWrapper}. */
interface WrapperBuild {
  /** Packages to build. */
  readonly packages: readonly string[];
  /** The published version of the sibling modules the tool's go.mod replaces with local paths. */
  readonly published: string;
  /** `-X` variables (versions). @default none */
  readonly variables?: Record<string, string>;
  /** Further replaces to keep (the tool's own non-local ones). @default none */
  readonly keepReplaces?: Record<string, string>;
  /** Output binary name, for a single package. @default each package's own name */
  readonly output?: string;
}

/** Builds a tool from a wrapper module that replaces its local `replace`s with published versions. */
async function buildWithWrapper(dirs: BuildDirs, tool: GoTool, build: WrapperBuild): Promise<void> {
  const goMod = readFileSync(downloadModule(tool.module, tool.version).GoMod, 'utf8');
  const replace = Object.fromEntries(localReplaces(goMod).map((module) => [module, `${module} ${build.published}`]));
  writeWrapperModule({ dir: dirs.work, require: { module: tool.module, version: tool.version }, replace: { ...replace, ...build.keepReplaces } });
  const output = build.output ? join(dirs.bin, build.output) : `${dirs.bin}/`;
  await runGo(['build', ...BUILD_FLAGS, '-ldflags', ldflags(build.variables ?? {}), '-o', output, ...build.packages], { cwd: dirs.work });
}

/** `go install module/pkg@version` into `dirs.bin` (for modules without replaces). */
async function goInstall(dirs: BuildDirs, tool: GoTool, packages: readonly string[], variables: Record<string, string> = {}, tags: readonly string[] = []) {
  const tagFlags = tags.length > 0 ? ['-tags', tags.join(',')] : [];
  await runGo(['install', ...BUILD_FLAGS, ...tagFlags, '-ldflags', ldflags(variables), ...packages.map((p) => `${p}@${tool.version}`)], {
    env: { GOBIN: dirs.bin },
  });
}

/** The `-X` variables that make a Prometheus project's binary report its release (`--version`). */
const prometheusVersion = (release: string) => ({ 'github.com/prometheus/common/version.Version': release.replace(/^v/, '') });

/**
 * Every tool, in build order: a quick one first, so a broken Go setup fails fast, then the longest builds first, so
 * that the builds running side by side (ensureToolchain's concurrency) end close together.
 */
export const RECIPES: readonly Recipe[] = [
  {
    name: 'kubeconform',
    tool: TOOLCHAIN.kubeconform,
    binaries: ['kubeconform'],
    build: (dirs) => goInstall(dirs, TOOLCHAIN.kubeconform, ['github.com/yannh/kubeconform/cmd/kubeconform']),
  },
  {
    name: 'pulumi-resource-kubernetes',
    tool: TOOLCHAIN.pulumiKubernetes,
    binaries: ['pulumi-resource-kubernetes'],
    build: buildKubernetesProvider,
  },
  {
    name: 'kubernetes',
    tool: kubernetes,
    binaries: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'],
    build: (dirs) =>
      buildWithWrapper(dirs, kubernetes, {
        packages: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'].map((cmd) => `k8s.io/kubernetes/cmd/${cmd}`),
        published: stagingVersion,
        // Without these the binaries report v0.0.0-master, which clients (the Pulumi provider) refuse.
        variables: {
          'k8s.io/component-base/version.gitVersion': kubernetes.release,
          'k8s.io/component-base/version.gitMajor': kubeMajor,
          'k8s.io/component-base/version.gitMinor': kubeMinor,
          'k8s.io/component-base/version.gitTreeState': 'clean',
          'k8s.io/client-go/pkg/version.gitVersion': kubernetes.release,
          'k8s.io/client-go/pkg/version.gitMajor': kubeMajor,
          'k8s.io/client-go/pkg/version.gitMinor': kubeMinor,
        },
      }),
  },
  {
    name: 'jaeger',
    tool: TOOLCHAIN.jaeger,
    binaries: ['jaeger'],
    // Its go.mod pins a fork with a (non-local) replace, which `go install module@version` refuses: keep it in a wrapper.
    build: (dirs) =>
      buildWithWrapper(dirs, TOOLCHAIN.jaeger, {
        packages: ['github.com/jaegertracing/jaeger/cmd/jaeger'],
        published: TOOLCHAIN.jaeger.version,
        keepReplaces: nonLocalReplaces(TOOLCHAIN.jaeger),
        output: 'jaeger',
      }),
  },
  {
    name: 'prometheus',
    tool: TOOLCHAIN.prometheus,
    binaries: ['prometheus', 'promtool'],
    // `remove_all_sd` leaves out the cloud service-discovery plugins (plugins/plugin_*.go): the tests scrape static
    // and file targets only, and the build is several minutes shorter.
    build: (dirs) =>
      goInstall(
        dirs,
        TOOLCHAIN.prometheus,
        ['github.com/prometheus/prometheus/cmd/prometheus', 'github.com/prometheus/prometheus/cmd/promtool'],
        prometheusVersion(TOOLCHAIN.prometheus.release),
        ['remove_all_sd'],
      ),
  },
  {
    name: 'istioctl',
    tool: TOOLCHAIN.istioctl,
    binaries: ['istioctl'],
    // A wrapper module rather than `go install pkg@version`: that asks the proxy for the package path as a module
    // first, and this proxy answers 403, not 404, which the go command does not read as "try a shorter path".
    build: (dirs) =>
      buildWithWrapper(dirs, TOOLCHAIN.istioctl, {
        packages: ['istio.io/istio/istioctl/cmd/istioctl'],
        published: TOOLCHAIN.istioctl.version,
        // The commit requires untagged commits of istio.io/api and client-go that the proxy does not serve; their
        // tags of the same release (cut from those commits' branch) are served.
        keepReplaces: {
          'istio.io/api': `istio.io/api v${TOOLCHAIN.istioctl.release}`,
          'istio.io/client-go': `istio.io/client-go v${TOOLCHAIN.istioctl.release}`,
        },
        variables: {
          'istio.io/istio/pkg/version.buildVersion': TOOLCHAIN.istioctl.release,
          'istio.io/istio/pkg/version.buildStatus': 'Clean',
        },
      }),
  },
  {
    name: 'flagger',
    tool: TOOLCHAIN.flagger,
    binaries: ['flagger'],
    build: (dirs) =>
      goInstall(dirs, TOOLCHAIN.flagger, ['github.com/fluxcd/flagger/cmd/flagger'], {
        'github.com/fluxcd/flagger/pkg/version.VERSION': TOOLCHAIN.flagger.release.replace(/^v/, ''),
      }),
  },
  {
    name: 'pulumi',
    tool: TOOLCHAIN.pulumi,
    binaries: ['pulumi'],
    // pkg/v3 replaces sdk/v3 with ../sdk; the SDK is published at the same version.
    build: (dirs) =>
      buildWithWrapper(dirs, TOOLCHAIN.pulumi, {
        packages: ['github.com/pulumi/pulumi/pkg/v3/cmd/pulumi'],
        published: TOOLCHAIN.pulumi.version,
        variables: { 'github.com/pulumi/pulumi/sdk/v3/go/common/version.Version': `v${TOOLCHAIN.pulumi.release}` },
        keepReplaces: nonLocalReplaces(TOOLCHAIN.pulumi),
      }),
  },
  {
    name: 'helm',
    tool: TOOLCHAIN.helm,
    binaries: ['helm'],
    build: (dirs) =>
      goInstall(dirs, TOOLCHAIN.helm, ['helm.sh/helm/v3/cmd/helm'], { 'helm.sh/helm/v3/internal/version.version': TOOLCHAIN.helm.release }),
  },
  {
    name: 'kwok',
    tool: TOOLCHAIN.kwok,
    binaries: ['kwok', 'kwokctl'],
    build: (dirs) =>
      goInstall(dirs, TOOLCHAIN.kwok, ['sigs.k8s.io/kwok/cmd/kwok', 'sigs.k8s.io/kwok/cmd/kwokctl'], {
        'sigs.k8s.io/kwok/pkg/consts.Version': TOOLCHAIN.kwok.release.replace(/^v/, ''),
      }),
  },
  {
    name: 'etcd',
    tool: TOOLCHAIN.etcd,
    binaries: ['etcd'],
    // Its go.mod replaces the sibling modules (api, client, pkg) with ../ paths; they are published at the same version.
    build: (dirs) =>
      buildWithWrapper(dirs, TOOLCHAIN.etcd, { packages: [TOOLCHAIN.etcd.module], published: TOOLCHAIN.etcd.version, output: 'etcd' }),
  },
  {
    name: 'alertmanager',
    tool: TOOLCHAIN.alertmanager,
    binaries: ['alertmanager', 'amtool'],
    build: buildAlertmanager,
  },
  {
    name: 'actionlint',
    tool: TOOLCHAIN.actionlint,
    binaries: ['actionlint'],
    // Reports the module version `go install` records in the binary.
    build: (dirs) => goInstall(dirs, TOOLCHAIN.actionlint, ['github.com/rhysd/actionlint/cmd/actionlint']),
  },
];

/** A go.mod's replaces that point at other modules (not local paths): kept in a wrapper, or the build differs from the release. */
function nonLocalReplaces(tool: GoTool): Record<string, string> {
  const goMod = readFileSync(downloadModule(tool.module, tool.version).GoMod, 'utf8');
  const replaces: Record<string, string> = {};
  for (const match of goMod.matchAll(/^\s*(?:replace\s+)?(\S+)\s+=>\s+(\S+)\s+(v\S+)\s*$/gm)) replaces[match[1]] = `${match[2]} ${match[3]}`;
  return replaces;
}

/**
 * Alertmanager embeds its web UI (`//go:embed app/dist` in ui/web.go), which its release builds with npm and the
 * module zip lacks: build from a writable copy with a placeholder page in each UI root. The API, the routing and the
 * notifications, all that the tests use, are complete.
 */
async function buildAlertmanager(dirs: BuildDirs): Promise<void> {
  const tool = TOOLCHAIN.alertmanager;
  copyModule(tool, dirs.work);
  for (const ui of ['elm', 'mantine']) {
    const root = join(dirs.work, 'ui', 'app', 'dist', ui);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Alertmanager</title><p>The web UI is not part of this build; the API is.</p>\n');
  }
  await runGo(['build', ...BUILD_FLAGS, '-ldflags', ldflags(prometheusVersion(tool.release)), '-o', `${dirs.bin}/`, './cmd/alertmanager', './cmd/amtool'], { cwd: dirs.work });
}

/** A writable copy of a tool's module at `dir` (the module cache is read-only), to build with generated files added. */
function copyModule(tool: GoTool, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(downloadModule(tool.module, tool.version).Dir, dir, { recursive: true });
  makeWritable(dir);
}

/**
 * The provider's main embeds `schema-embed.json` and `terraform-mapping-embed.json`, which its `go generate` step makes
 * from the committed schema.json and are not in the module zip: build from a writable copy after running that step.
 */
async function buildKubernetesProvider(dirs: BuildDirs): Promise<void> {
  const tool = TOOLCHAIN.pulumiKubernetes;
  copyModule(tool, dirs.work);
  // The module replaces its SDK with ../sdk; the SDK is published under the release's tag.
  const goModPath = join(dirs.work, 'go.mod');
  writeFileSync(
    goModPath,
    readFileSync(goModPath, 'utf8').replace(
      /^replace github\.com\/pulumi\/pulumi-kubernetes\/sdk\/v4 => \.\.\/sdk$/m,
      `replace github.com/pulumi/pulumi-kubernetes/sdk/v4 => github.com/pulumi/pulumi-kubernetes/sdk/v4 v${tool.release}`,
    ),
  );
  const main = join(dirs.work, 'cmd', 'pulumi-resource-kubernetes');
  await runGo(['run', './generate.go'], { cwd: main, env: { VERSION: tool.release } });
  await runGo(
    ['build', ...BUILD_FLAGS, '-ldflags', ldflags({ 'github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version': tool.release }),
      '-o', join(dirs.bin, 'pulumi-resource-kubernetes'), './cmd/pulumi-resource-kubernetes'],
    { cwd: dirs.work },
  );
}
