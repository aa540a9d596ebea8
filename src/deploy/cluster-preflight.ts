import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { configProblem, DeployConfigError, type DeployConfig } from './config';

/** How long the cluster's address may take to accept a connection before the deploy stops. */
const CONNECT_TIMEOUT_MS = 5000;

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string } }[];
  clusters?: { name: string; cluster?: { server?: string } }[];
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
  const merged: Kubeconfig = { contexts: [], clusters: [] };
  for (const path of existing) {
    const file = (parse(readFileSync(path, 'utf8')) ?? {}) as Kubeconfig;
    merged['current-context'] ??= file['current-context'];
    for (const context of file.contexts ?? []) if (!merged.contexts!.some((c) => c.name === context.name)) merged.contexts!.push(context);
    for (const cluster of file.clusters ?? []) if (!merged.clusters!.some((c) => c.name === cluster.name)) merged.clusters!.push(cluster);
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
 */
export async function clusterPreflight(config: Pick<DeployConfig, 'kubeconfig' | 'kubeContext'>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { source, kubeconfig } = loadKubeconfig(config.kubeconfig, env);
  const contextName = config.kubeContext ?? kubeconfig['current-context'];
  const names = (kubeconfig.contexts ?? []).map((c) => c.name);
  const context = kubeconfig.contexts?.find((c) => c.name === contextName);
  if (!contextName || !context) {
    const what = contextName ? `context "${contextName}" is not in ${source}` : `${source} has no current context`;
    throw new DeployConfigError([configProblem('kubeContext', `${what} (contexts: ${names.join(', ') || 'none'})`)]);
  }
  const server = kubeconfig.clusters?.find((c) => c.name === context.context?.cluster)?.cluster?.server;
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
}
