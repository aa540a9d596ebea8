import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot } from '../cache-root';
import { TOOLCHAIN } from '../versions';
import { fakeNodes } from './nodes';

const run = promisify(execFile);

/** The default cluster name of `npm run cluster:up`. */
export const DEFAULT_CLUSTER = 'mesh-platform';

/** The toolchain tools (recipe names) a cluster runs on: the control plane, its store and kwok. */
export const CLUSTER_TOOLS = ['kubernetes', 'etcd', 'kwok'] as const;

/** Where kwokctl keeps its clusters (configuration, certificates, logs, pid files): inside the project's cache. */
export function kwokWorkdir(): string {
  return join(cacheRoot(), 'kwok');
}

/** The kubeconfig kwokctl writes for cluster `name` (admin credentials). */
export function kubeconfigPath(name: string): string {
  return join(kwokWorkdir(), 'clusters', name, 'kubeconfig.yaml');
}

/** kwokctl's environment: the toolchain's binaries for every component, nothing downloaded. */
function kwokEnv(bin: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KWOK_WORKDIR: kwokWorkdir(),
    KWOK_RUNTIME: 'binary',
    KWOK_KUBE_VERSION: TOOLCHAIN.kubernetes.release,
    KWOK_KUBE_APISERVER_BINARY: join(bin, 'kube-apiserver'),
    KWOK_KUBE_CONTROLLER_MANAGER_BINARY: join(bin, 'kube-controller-manager'),
    KWOK_KUBE_SCHEDULER_BINARY: join(bin, 'kube-scheduler'),
    KWOK_KUBECTL_BINARY: join(bin, 'kubectl'),
    KWOK_CONTROLLER_BINARY: join(bin, 'kwok'),
    KWOK_ETCD_BINARY: join(bin, 'etcd'),
    PATH: `${bin}:${process.env.PATH ?? ''}`,
  };
}

/** Options of {@link clusterUp}. */
export interface ClusterOptions {
  /** The toolchain's bin directory (`npm run -s toolchain`). */
  readonly bin: string;
  /** Cluster name. @default {@link DEFAULT_CLUSTER} */
  readonly name?: string;
  /** Progress reporting. @default silent */
  readonly progress?: (message: string) => void;
}

/**
 * Starts a kwokctl cluster from the toolchain's binaries (etcd, kube-apiserver with admission and authorization on,
 * controller-manager, scheduler, kwok), adds one fake node per zone, waits until they are Ready and the `default`
 * ServiceAccount exists, and returns the kubeconfig path. An existing cluster of that name is deleted first.
 */
export async function clusterUp({ bin, name = DEFAULT_CLUSTER, progress = () => undefined }: ClusterOptions): Promise<string> {
  const env = kwokEnv(bin);
  const kwokctl = join(bin, 'kwokctl');
  if (existsSync(join(kwokWorkdir(), 'clusters', name))) {
    progress(`deleting the earlier cluster ${name}`);
    await run(kwokctl, ['delete', 'cluster', '--name', name], { env });
  }
  progress(`creating cluster ${name} (Kubernetes ${TOOLCHAIN.kubernetes.release}, admission and authorization on)`);
  try {
    await run(kwokctl, ['create', 'cluster', '--name', name, '--runtime', 'binary', '--kube-admission', '--kube-authorization', '--wait', '120s'], {
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`kwokctl create cluster ${name} failed:\n${stderr || stdout || (error as Error).message}\nlogs: ${join(kwokWorkdir(), 'clusters', name, 'logs')}`, { cause: error });
  }
  const kubeconfig = kubeconfigPath(name);
  const kubectl = (args: string[], input?: string) => kubectlRun(bin, kubeconfig, args, input);
  progress('adding fake nodes');
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: fakeNodes() }));
  await kubectl(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=120s']);
  // Pods are admitted only once the ServiceAccount controller has created the namespace's `default` account.
  await waitFor(() => kubectl(['get', 'serviceaccount', 'default', '-n', 'default']), 60_000);
  return kubeconfig;
}

/** Stops every process of cluster `name` (kwokctl tracks them by pid) and removes its files. */
export async function clusterDown(bin: string, name = DEFAULT_CLUSTER): Promise<void> {
  if (!existsSync(join(kwokWorkdir(), 'clusters', name))) return;
  await run(join(bin, 'kwokctl'), ['delete', 'cluster', '--name', name], { env: kwokEnv(bin) });
}

/** What a kubectl run printed and how it exited. */
export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  /** Errors and warnings (e.g. Pod Security's `Warning: would violate PodSecurity`). */
  readonly stderr: string;
}

/** Runs kubectl against `kubeconfig` with `input` on stdin; never rejects (see {@link kubectlRun}). */
export function kubectlResult(bin: string, kubeconfig: string, args: readonly string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(join(bin, 'kubectl'), ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

/** Runs kubectl against `kubeconfig` and resolves with its stdout; rejects with its stderr when it fails. */
export async function kubectlRun(bin: string, kubeconfig: string, args: readonly string[], input?: string): Promise<string> {
  const result = await kubectlResult(bin, kubeconfig, args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr.trim() || `exit ${result.code}`}`);
  return result.stdout;
}

/** Retries `attempt` until it resolves or `timeoutMs` passes (then rejects with its last error). */
async function waitFor(attempt: () => Promise<unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
