/**
 * `npm run -s toolchain`: builds the Go-built tools of the real-cluster tests that are not cached yet (src/versions.ts
 * pins them), reports each step on stderr, and prints the directory holding the binaries as its last line on stdout:
 *
 *   export PATH="$(npm run -s toolchain | tail -n1):$PATH"
 */
import { ensureToolchain } from './index';

const HELP = `Usage: npm run -s toolchain

Builds kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok, kwokctl, helm, pulumi,
pulumi-resource-kubernetes and istioctl from their Go modules (versions: src/versions.ts) into
~/.cache/mesh-platform/toolchain (override with MESH_PLATFORM_CACHE), reusing what is cached, and prints the
directory holding the binaries as the last line. Needs Go 1.26 and the Go module proxy.`;

async function main(): Promise<void> {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    console.log(HELP);
    return;
  }
  const started = Date.now();
  const bin = await ensureToolchain((message) => console.error(`toolchain: ${message}`));
  console.error(`toolchain: ready in ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(bin);
}

main().catch((error: Error) => {
  console.error(`toolchain: ${error.message}`);
  process.exitCode = 1;
});
