/**
 * `npm run -s cluster:up` / `npm run cluster:down`: a local Kubernetes control plane (kwokctl, binary runtime, the
 * toolchain's binaries, admission and authorization on, two fake nodes in two zones). `up` prints the kubeconfig path
 * as its last line:
 *
 *   export KUBECONFIG="$(npm run -s cluster:up | tail -n1)"
 */
import { ensureToolchain } from '../toolchain/index';
import { CLUSTER_TOOLS, clusterDown, clusterUp, DEFAULT_CLUSTER } from './kwok';

const HELP = `Usage: npm run -s cluster:up [-- --name NAME]
       npm run cluster:down [-- --name NAME]

up:   builds the toolchain if needed, starts cluster NAME (default ${DEFAULT_CLUSTER}) with kwokctl and prints its
      kubeconfig path as the last line. Pods become Running and Ready on fake nodes; no container runs.
down: stops every process of the cluster and removes its files.`;

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined || args.includes('--help') || command === '--help' || command === '-h') {
    console.log(HELP);
    return;
  }
  const nameIndex = args.indexOf('--name');
  const name = nameIndex >= 0 ? args[nameIndex + 1] : DEFAULT_CLUSTER;
  if (!name) throw new Error('--name needs a value');
  const progress = (message: string) => console.error(`cluster: ${message}`);
  // The cluster needs only its own tools: another tool that cannot be built (istioctl, say) does not keep it down.
  const { bin } = await ensureToolchain({ progress: (message) => console.error(`toolchain: ${message}`), required: CLUSTER_TOOLS });
  if (command === 'up') {
    console.log(await clusterUp({ bin, name, progress }));
  } else if (command === 'down') {
    await clusterDown(bin, name);
    progress(`cluster ${name} is down`);
  } else {
    throw new Error(`unknown command "${command}"; use up or down (--help)`);
  }
}

main().catch((error: Error) => {
  console.error(`cluster: ${error.message}`);
  process.exitCode = 1;
});
