/**
 * `npm run -s cluster:up` / `npm run cluster:down`: a local Kubernetes control plane (kwokctl, binary runtime, the
 * toolchain's binaries, admission and authorization on, two fake nodes in two zones). `up` prints the kubeconfig path
 * as its last line:
 *
 *   export KUBECONFIG="$(npm run -s cluster:up | tail -n1)"
 */
import { parseCommandLine, UsageError } from '../cli/usage';
import { ensureToolchain } from '../toolchain/index';
import { CLUSTER_TOOLS, clusterDown, clusterUp, DEFAULT_CLUSTER } from './kwok';

const HELP = `Usage: npm run -s cluster:up [-- --name NAME]
       npm run cluster:down [-- --name NAME]

up:   builds the toolchain if needed, starts cluster NAME (default ${DEFAULT_CLUSTER}) with kwokctl and prints its
      kubeconfig path as the last line. Pods become Running and Ready on fake nodes; no container runs.
down: stops every process of the cluster and removes its files.`;

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), {
    name: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, '; see npm run cluster:up -- --help');
  const [command, ...extra] = positionals;
  if (command === undefined || values.help) {
    console.log(HELP);
    return;
  }
  if ((command !== 'up' && command !== 'down') || extra.length > 0) {
    throw new UsageError(`unknown command "${positionals.join(' ')}"; use up or down (--help)`);
  }
  const name = values.name ?? DEFAULT_CLUSTER;
  const progress = (message: string) => console.error(`cluster: ${message}`);
  // The cluster needs only its own tools: another tool that cannot be built (istioctl, say) does not keep it down.
  const { bin } = await ensureToolchain({ progress: (message) => console.error(`toolchain: ${message}`), required: CLUSTER_TOOLS });
  if (command === 'up') {
    console.log(await clusterUp({ bin, name, progress }));
  } else {
    await clusterDown(bin, name);
    progress(`cluster ${name} is down`);
  }
}

main().catch((error: Error) => {
  console.error(`cluster: ${error.message}`);
  process.exitCode = 1;
});
