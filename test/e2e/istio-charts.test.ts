/**
 * Istio's charts as the Pulumi program installs them, rendered by the real helm: `npm run -s istio:charts` packages the
 * charts of the `istio.io/istio` module at the installed release, and `helm template` renders each release with exactly
 * the chart and values the program registers (the program runs under Pulumi's mocks with `istioCharts` set to the
 * packaged directory), for every `istioPlatform`. Checks what the unit tests cannot: that the values mean to the 1.31
 * charts what the program intends (the CNI's host paths per platform, the images' hub and tag).
 *
 * Needs helm (`$HELM`, the e2e toolchain's bin, PATH, or the toolchain cache) and Go (the module download); no cluster.
 * Without helm every test fails, naming `npm run -s toolchain`: a missing tool never turns into a silent pass.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse, parseAllDocuments } from 'yaml';
import { parseDeployConfig, type DatabaseUrls, type DeployConfig, type RawDeployConfig, type ServiceSecretValues } from '../../src/deploy/config';
import { findHelm, packageIstioCharts, type PackagedChart } from '../../src/deploy/istio-charts/package';
import { deployPlatform } from '../../src/deploy/program';
import { ISTIO, TOOLCHAIN } from '../../src/versions';
import { exampleDatabaseUrls } from '../deploy/database-urls';
import { installMocks, settle } from '../deploy/mocks';
import { kubectlResult } from './support/cluster';

jest.setTimeout(300_000);

/** A rendered Kubernetes object (only what the checks read). */
interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly data?: Record<string, string>;
  readonly spec?: {
    readonly template?: {
      readonly spec: {
        readonly containers: { readonly name: string; readonly image: string; readonly securityContext?: { seLinuxOptions?: { type?: string } } }[];
        readonly initContainers?: { readonly name: string; readonly image: string }[];
        readonly volumes?: { readonly name: string; readonly hostPath?: { readonly path: string } }[];
      };
    };
  };
}

/** One release as the program registers it. */
interface RegisteredRelease {
  readonly name: string;
  readonly chart: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
}

/** The e2e toolchain's bin (set by the e2e global setup) goes before PATH, so its pinned helm is preferred. */
function lookupEnv(): NodeJS.ProcessEnv {
  const bin = process.env.MESH_E2E_BIN;
  return bin ? { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` } : process.env;
}

const helm: string | Error = (() => {
  try {
    return findHelm(lookupEnv());
  } catch (error) {
    return error as Error;
  }
})();

function requireHelm(): string {
  if (helm instanceof Error) throw new Error(`the Istio chart tests need helm: ${helm.message}`);
  return helm;
}

/** The Helm releases `pulumi up` would install for this stack config (the program under Pulumi's mocks). */
async function programReleases(raw: RawDeployConfig, environment: 'staging' | 'dev' = 'staging'): Promise<RegisteredRelease[]> {
  // staging runs sidecars with Istio routing; dev runs ambient (the ambient profile and ztunnel, no gateway chart).
  const recorded = installMocks(environment);
  const config: DeployConfig = {
    ...parseDeployConfig({ registry: 'registry.test/shop', installIstio: 'true', ingressServiceType: 'NodePort', ...raw }, environment),
    secrets: pulumi.secret({}) as pulumi.Output<ServiceSecretValues>,
    databases: pulumi.secret(exampleDatabaseUrls(environment)) as pulumi.Output<DatabaseUrls>,
    postgresPassword: pulumi.secret('istio-charts-test-password'),
  };
  await deployPlatform(config);
  await settle();
  return recorded()
    .filter((r) => r.type === 'kubernetes:helm.sh/v3:Release')
    .map((r) => ({ name: r.name, chart: String(r.inputs.chart), namespace: String(r.inputs.namespace), values: r.inputs.values as Record<string, unknown> }));
}

/** `helm template` of one release, exactly as registered: its chart, namespace and values. */
function render(release: RegisteredRelease, kubeVersion: string = TOOLCHAIN.kubernetes.release): Manifest[] {
  const output = execFileSync(
    requireHelm(),
    ['template', release.name, release.chart, '--namespace', release.namespace, '--kube-version', kubeVersion, '--values', '-'],
    { input: JSON.stringify(release.values), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return parseAllDocuments(output)
    .map((document) => document.toJSON() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** Every container image of every pod template. */
function images(manifests: readonly Manifest[]): string[] {
  return manifests.flatMap((m) => {
    const pod = m.spec?.template?.spec;
    return pod ? [...(pod.initContainers ?? []), ...pod.containers].map((c) => c.image) : [];
  });
}

function find(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The CNI's host paths per platform, from Istio's platform setup documentation (not read from the charts). */
const CNI_PATHS: Record<string, { bin: string; conf: string; netns: string }> = {
  none: { bin: '/opt/cni/bin', conf: '/etc/cni/net.d', netns: '/var/run/netns' },
  // GKE's profile leaves the bin directory to the chart, which picks /home/kubernetes/bin when the server's version
  // contains -gke. helm template cannot present such a version (helm drops the pre-release part of --kube-version).
  gke: { bin: '/opt/cni/bin', conf: '/etc/cni/net.d', netns: '/var/run/netns' },
  k3d: { bin: '/bin', conf: '/var/lib/rancher/k3s/agent/etc/cni/net.d', netns: '/var/run/netns' },
  k3s: { bin: '/var/lib/rancher/k3s/data/cni', conf: '/var/lib/rancher/k3s/agent/etc/cni/net.d', netns: '/var/run/netns' },
  microk8s: { bin: '/var/snap/microk8s/current/opt/cni/bin', conf: '/var/snap/microk8s/current/args/cni-network', netns: '/var/run/netns' },
  minikube: { bin: '/opt/cni/bin', conf: '/etc/cni/net.d', netns: '/var/run/docker/netns' },
  openshift: { bin: '/var/lib/cni/bin', conf: '/etc/cni/multus/net.d', netns: '/var/run/netns' },
};

let out: string;
let packaged: PackagedChart[];

beforeAll(() => {
  requireHelm();
  out = mkdtempSync(join(tmpdir(), 'istio-charts-e2e-'));
  packaged = packageIstioCharts({ out, helm: requireHelm() });
});

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('npm run -s istio:charts', () => {
  test(`packages base, cni, istiod, gateway and ztunnel as <chart>-${ISTIO.version}.tgz`, () => {
    expect(packaged.map((p) => p.file)).toEqual(['base', 'cni', 'istiod', 'gateway', 'ztunnel'].map((chart) => join(out, `${chart}-${ISTIO.version}.tgz`)));
    for (const { name, file } of packaged) {
      const chart = parse(execFileSync(requireHelm(), ['show', 'chart', file], { encoding: 'utf8' })) as Record<string, unknown>;
      expect(chart).toMatchObject({ name, version: ISTIO.version, appVersion: ISTIO.version });
    }
  });

  test('the charts\' default images are the release\'s, not the module\'s testing hub and latest tag', () => {
    for (const chart of ['cni', 'istiod']) {
      const text = execFileSync(requireHelm(), ['show', 'values', join(out, `${chart}-${ISTIO.version}.tgz`)], { encoding: 'utf8' });
      const values = parse(text) as { _internal_defaults_do_not_set: { global: { hub: string; tag: string } } };
      expect(values._internal_defaults_do_not_set.global).toMatchObject({ hub: ISTIO.hub, tag: ISTIO.version });
      expect(text).not.toMatch(/^\s*(hub|tag): .*(testing|latest)/m);
    }
  });

  test('the cni and istiod charts carry a profile for exactly the platforms src/versions.ts lists', () => {
    for (const chart of ['cni', 'istiod']) {
      const files = execFileSync('tar', ['-tzf', join(out, `${chart}-${ISTIO.version}.tgz`)], { encoding: 'utf8' }).split('\n');
      const platforms = files.map((f) => /\/files\/profile-platform-([a-z0-9]+)\.yaml$/.exec(f)?.[1]).filter(Boolean);
      expect(platforms.sort()).toEqual([...ISTIO.platforms].sort());
    }
  });

  test('the CLI prints the output directory as its last line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'istio-charts-cli-'));
    try {
      const stdout = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'src/deploy/istio-charts/cli.ts'), '--out', dir], {
        encoding: 'utf8',
        env: { ...lookupEnv(), HELM: requireHelm() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(stdout.trim().split('\n').at(-1)).toBe(dir);
      expect(execFileSync('ls', [dir], { encoding: 'utf8' }).trim().split('\n').sort()).toEqual(
        ['base', 'cni', 'gateway', 'istiod', 'ztunnel'].map((c) => `${c}-${ISTIO.version}.tgz`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each([undefined, ...ISTIO.platforms])('the program\'s releases rendered with istioPlatform %s', (platform) => {
  let releases: RegisteredRelease[];
  const rendered: Record<string, Manifest[]> = {};
  beforeAll(async () => {
    if (helm instanceof Error) return; // every test fails with the top-level beforeAll's message
    releases = await programReleases({ istioCharts: out, ...(platform ? { istioPlatform: platform } : {}) });
    for (const release of releases) {
      rendered[release.name] = render(release);
    }
  });

  test('the rendered releases pass a server-side dry run against the e2e cluster', async () => {
    for (const release of releases) {
      // --force-conflicts: the global setup applied the same base chart's CRDs under another field manager.
      const result = await kubectlResult(
        ['apply', '-n', release.namespace, '--server-side', '--dry-run=server', '--force-conflicts', '--field-manager=helm', '-f', '-'],
        // Multus' NetworkAttachmentDefinition (OpenShift) is a CRD only such clusters have.
        JSON.stringify({ apiVersion: 'v1', kind: 'List', items: rendered[release.name]!.filter((m) => m.kind !== 'NetworkAttachmentDefinition') }),
      );
      // Istio's cni chart still sets the AppArmor annotation Kubernetes deprecated in 1.30: a warning, never an error.
      const unexpected = result.stderr.split('\n').filter((line) => line !== '' && !/^Warning: .*deprecated since v1\.\d+/.test(line));
      expect({ release: release.name, code: result.code, unexpected }).toEqual({ release: release.name, code: 0, unexpected: [] });
    }
  });

  test('installs the four packaged charts', () => {
    expect(releases.map((r) => [r.name, r.chart])).toEqual([
      ['istio-base', join(out, `base-${ISTIO.version}.tgz`)],
      ['istio-cni', join(out, `cni-${ISTIO.version}.tgz`)],
      ['istiod', join(out, `istiod-${ISTIO.version}.tgz`)],
      ['istio-ingressgateway', join(out, `gateway-${ISTIO.version}.tgz`)],
    ]);
  });

  test('the CNI DaemonSet mounts the platform\'s CNI directories', () => {
    const daemonSet = find(rendered['istio-cni']!, 'DaemonSet', 'istio-cni-node');
    const hostPath = (volume: string) => daemonSet.spec!.template!.spec.volumes!.find((v) => v.name === volume)?.hostPath?.path;
    const expected = CNI_PATHS[platform ?? 'none']!;
    expect({ bin: hostPath('cni-bin-dir'), conf: hostPath('cni-net-dir'), netns: hostPath('cni-netns-dir') }).toEqual(expected);
  });

  test(`every image is ${ISTIO.hub}/<image>:${ISTIO.version}; the gateway's is injected by istiod`, () => {
    expect(images(rendered['istio-cni']!)).toEqual([`${ISTIO.hub}/install-cni:${ISTIO.version}`]);
    expect(images(rendered.istiod!)).toEqual([`${ISTIO.hub}/pilot:${ISTIO.version}`]);
    expect(images(rendered['istio-ingressgateway']!)).toEqual(['auto']);
    expect(images(rendered['istio-base']!)).toEqual([]);
  });

  test('the sidecar injector uses the CNI (no istio-init) and the release\'s proxy image', () => {
    const injector = find(rendered.istiod!, 'ConfigMap', 'istio-sidecar-injector');
    const values = JSON.parse(injector.data!.values!) as { global: { hub: string; tag: string }; pilot: { cni: { enabled: boolean; provider: string } } };
    expect(values.global).toMatchObject({ hub: ISTIO.hub, tag: ISTIO.version });
    expect(values.pilot.cni).toMatchObject({ enabled: true, provider: platform === 'openshift' ? 'multus' : 'default' });
  });

  if (platform === 'openshift') {
    test('OpenShift: Multus attachment and the spc_t SELinux type', () => {
      expect(rendered['istio-cni']!.some((m) => m.kind === 'NetworkAttachmentDefinition')).toBe(true);
      const daemonSet = find(rendered['istio-cni']!, 'DaemonSet', 'istio-cni-node');
      expect(daemonSet.spec!.template!.spec.containers[0]!.securityContext?.seLinuxOptions?.type).toBe('spc_t');
    });
  }

  if (platform === 'gke') {
    test('GKE: a ResourceQuota lets the node agent run at system-node-critical priority; the bin directory is detected', () => {
      expect(rendered['istio-cni']!.some((m) => m.kind === 'ResourceQuota')).toBe(true);
      const injector = find(rendered.istiod!, 'ConfigMap', 'istio-sidecar-injector');
      expect(JSON.parse(injector.data!.values!).pilot.cni.cniBinDir).toBe('');
    });
  }
});

describe('the ambient profile (dev)', () => {
  let releases: RegisteredRelease[];
  beforeAll(async () => {
    if (helm instanceof Error) return;
    releases = await programReleases({ istioCharts: out }, 'dev');
  });

  test('installs base, cni, istiod and ztunnel, every one rendering and passing a server-side dry run', async () => {
    expect(releases.map((r) => r.name)).toEqual(['istio-base', 'istio-cni', 'istiod', 'ztunnel']);
    for (const release of releases) {
      const result = await kubectlResult(
        ['apply', '-n', release.namespace, '--server-side', '--dry-run=server', '--force-conflicts', '--field-manager=helm', '-f', '-'],
        JSON.stringify({ apiVersion: 'v1', kind: 'List', items: render(release) }),
      );
      const unexpected = result.stderr.split('\n').filter((line) => line !== '' && !/^Warning: .*deprecated since v1\.\d+/.test(line));
      expect({ release: release.name, code: result.code, unexpected }).toEqual({ release: release.name, code: 0, unexpected: [] });
    }
  });

  test(`ztunnel runs ${ISTIO.hub}/ztunnel:${ISTIO.version}-distroless and istiod enables ambient`, () => {
    const ztunnel = releases.find((r) => r.name === 'ztunnel')!;
    // The ambient profile selects the distroless variant of the release's images.
    expect(images(render(ztunnel))).toEqual([`${ISTIO.hub}/ztunnel:${ISTIO.version}-distroless`]);
    const istiod = find(render(releases.find((r) => r.name === 'istiod')!), 'Deployment', 'istiod');
    const env = (istiod.spec!.template!.spec.containers[0] as unknown as { env: { name: string; value?: string }[] }).env;
    expect(env).toContainEqual({ name: 'PILOT_ENABLE_AMBIENT', value: 'true' });
  });
});

test('istioHub moves every image to the mirror, at the release\'s tag', async () => {
  const releases = await programReleases({ istioCharts: out, istioHub: 'registry.internal:5000/istio' });
  const all = releases.flatMap((release) => images(render(release))).filter((image) => image !== 'auto');
  expect(all.sort()).toEqual([`registry.internal:5000/istio/install-cni:${ISTIO.version}`, `registry.internal:5000/istio/pilot:${ISTIO.version}`]);
  const injector = find(render(releases.find((r) => r.name === 'istiod')!), 'ConfigMap', 'istio-sidecar-injector');
  expect(JSON.parse(injector.data!.values!).global).toMatchObject({ hub: 'registry.internal:5000/istio', tag: ISTIO.version });
});
