/**
 * What the e2e global setup started, as the tests see it: the toolchain's bin directory and the cluster's kubeconfig
 * (passed through the environment, which jest's workers inherit from the setup).
 */
import { kubectlResult as run, kubectlRun, type KubectlResult } from '../../../src/cluster/kwok';

/** The toolchain's bin directory. */
export function toolchainBin(): string {
  return required('MESH_E2E_BIN');
}

/** The kubeconfig of the e2e cluster (admin). */
export function kubeconfig(): string {
  return required('MESH_E2E_KUBECONFIG');
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests with \`npm run test:e2e\` (its global setup starts the cluster)`);
  return value;
}

/** kubectl against the e2e cluster; `input` goes to stdin. */
export function kubectl(args: readonly string[], input?: string): Promise<string> {
  return kubectlRun(toolchainBin(), kubeconfig(), args, input);
}

/** kubectl's output, warnings and exit status, never rejecting. */
export function kubectlResult(args: readonly string[], input?: string): Promise<KubectlResult> {
  return run(toolchainBin(), kubeconfig(), args, input);
}

/** Parsed JSON of `kubectl get ... -o json`. */
export async function getJson<T = any>(args: readonly string[]): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}
