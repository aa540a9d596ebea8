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

/**
 * Waits until the CRDs (`crd/<name>` each, default every one) are Established, within `timeoutSeconds`. `kubectl
 * wait` fails at once, instead of waiting, on a CRD created so recently that the API server has not given it
 * conditions yet (`.status.conditions accessor error: <nil> is of the type <nil>`): that failure is tried again.
 */
export async function waitForCrds(crds: readonly string[] = ['crd', '--all'], timeoutSeconds = 120): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const remaining = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
    const args = ['wait', '--for=condition=Established', `--timeout=${remaining}s`, ...crds];
    const { code, stderr } = await kubectlResult(args);
    if (code === 0) return;
    if (!stderr.includes('.status.conditions accessor error: <nil>') || Date.now() > deadline) {
      throw new Error(`kubectl ${args.join(' ')}: ${stderr.trim() || `exit ${code}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Parsed JSON of `kubectl get ... -o json`. */
export async function getJson<T = any>(args: readonly string[]): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}
