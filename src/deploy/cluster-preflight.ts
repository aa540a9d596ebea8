import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { configProblem, DeployConfigError, type DeployConfig } from './config';
import type { KubeCluster, KubeUser } from './kube-api';

/** How long the cluster's address may take to accept a connection before the deploy stops. */
const CONNECT_TIMEOUT_MS = 5000;

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string; user?: string } }[];
  clusters?: { name: string; cluster?: KubeCluster }[];
  users?: { name: string; user?: KubeUser }[];
}

/** The cluster the stack deploys to, as the kubeconfig names it: for messages and for API requests (kube-api.ts). */
export interface ClusterAccess {
  /** The kubeconfig file(s), or "the kubeconfig in config kubeconfig". */
  readonly source: string;
  readonly context: string;
  readonly cluster: KubeCluster & { readonly server: string };
  /** The context's user; empty when it names none. */
  readonly user: KubeUser;
}

/** File references of a kubeconfig's clusters and users made absolute: kubectl reads them relative to the file. */
function withAbsolutePaths(file: Kubeconfig, dir: string): Kubeconfig {
  const absolute = <T extends object>(entry: T | undefined, keys: readonly string[]): T | undefined => entry && Object.fromEntries(
    Object.entries(entry).map(([key, value]) => [key, keys.includes(key) && typeof value === 'string' ? resolve(dir, value) : value]),
  ) as T;
  return {
    ...file,
    clusters: file.clusters?.map((c) => ({ ...c, cluster: absolute(c.cluster, ['certificate-authority']) })),
    users: file.users?.map((u) => ({ ...u, user: absolute(u.user, ['client-certificate', 'client-key', 'tokenFile']) })),
  };
}

/** The kubeconfig the provider will use, read: config `kubeconfig` (path or contents), else $KUBECONFIG, else ~/.kube/config. */
function loadKubeconfig(setting: string | undefined, env: NodeJS.ProcessEnv): { source: string; kubeconfig: Kubeconfig } {
  if (setting !== undefined && /\n|apiVersion:/.test(setting)) {
    return { source: 'the kubeconfig in config kubeconfig', kubeconfig: parse(setting) as Kubeconfig };
  }
  const paths = setting !== undefined ? [setting.replace(/^~(?=\/)/, homedir())] : (env.KUBECONFIG?.split(delimiter).filter(Boolean) ?? [join(homedir(), '.kube', 'config')]);
  const existing = paths.filter((path) => existsSync(path));
  if (existing.length === 0) throw new DeployConfigError([configProblem('kubeconfig', `no kubeconfig: ${paths.join(', ')} does not exist`)]);
  // Merged as kubectl merges $KUBECONFIG: the first file that names a context, cluster or current-context wins.
  const merged: Kubeconfig = { contexts: [], clusters: [], users: [] };
  for (const path of existing) {
    const file = withAbsolutePaths((parse(readFileSync(path, 'utf8')) ?? {}) as Kubeconfig, dirname(path));
    merged['current-context'] ??= file['current-context'];
    for (const context of file.contexts ?? []) if (!merged.contexts!.some((c) => c.name === context.name)) merged.contexts!.push(context);
    for (const cluster of file.clusters ?? []) if (!merged.clusters!.some((c) => c.name === cluster.name)) merged.clusters!.push(cluster);
    for (const user of file.users ?? []) if (!merged.users!.some((u) => u.name === user.name)) merged.users!.push(user);
  }
  return { source: existing.join(delimiter), kubeconfig: merged };
}

/** Resolves with nothing when `server`'s host and port accept a TCP connection in time; rejects with the reason. */
function reachable(server: string): Promise<void> {
  const url = new URL(server);
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, timeout: CONNECT_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
    });
    socket.once('error', reject);
  });
}

/**
 * Fails fast, naming the kubeconfig and the context, when the cluster the stack deploys to cannot be used: no
 * kubeconfig, a context it does not have, a context without a cluster, or a server that accepts no connection.
 * Without this the provider reports an unreachable cluster deep in the update, without saying which one it tried.
 * @returns the cluster and user of the context, for the checks that ask its API (gateway-api-preflight.ts)
 */
export async function clusterPreflight(config: Pick<DeployConfig, 'kubeconfig' | 'kubeContext'>, env: NodeJS.ProcessEnv = process.env): Promise<ClusterAccess> {
  const { source, kubeconfig } = loadKubeconfig(config.kubeconfig, env);
  const contextName = config.kubeContext ?? kubeconfig['current-context'];
  const names = (kubeconfig.contexts ?? []).map((c) => c.name);
  const context = kubeconfig.contexts?.find((c) => c.name === contextName);
  if (!contextName || !context) {
    const what = contextName ? `context "${contextName}" is not in ${source}` : `${source} has no current context`;
    throw new DeployConfigError([configProblem('kubeContext', `${what} (contexts: ${names.join(', ') || 'none'})`)]);
  }
  const cluster = kubeconfig.clusters?.find((c) => c.name === context.context?.cluster)?.cluster;
  const server = cluster?.server;
  if (!server) {
    throw new DeployConfigError([configProblem('kubeconfig', `context "${contextName}" in ${source} names cluster "${context.context?.cluster ?? ''}", which has no server`)]);
  }
  try {
    await reachable(server);
  } catch (error) {
    throw new DeployConfigError([
      configProblem('kubeconfig', `the cluster of context "${contextName}" in ${source} (${server}) is unreachable: ${(error as Error).message}`),
    ]);
  }
  const user = kubeconfig.users?.find((u) => u.name === context.context?.user)?.user ?? {};
  return { source, context: contextName, cluster: { ...cluster, server }, user };
}
