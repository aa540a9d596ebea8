/**
 * `npm run -s istio:charts [-- --out DIR]`: packages Istio's `base`, `cni`, `istiod` and `gateway` charts at the
 * installed release (src/versions.ts `ISTIO`) from the `istio.io/istio` Go module into DIR as `<chart>-<version>.tgz`,
 * and prints DIR as the last line (progress goes to stderr). DIR defaults to dist/istio-charts.
 * Use DIR as the stack config `istioCharts`, or push its files to a private OCI registry (docs/istio.md).
 */
import { join, resolve } from 'node:path';
import { packageIstioCharts } from './package';

const USAGE = 'usage: npm run -s istio:charts [-- --out DIR]';

/** The default output directory, in the repository's (ignored) dist/. */
const DEFAULT_OUT = join(__dirname, '..', '..', '..', 'dist', 'istio-charts');

function parseArguments(argv: readonly string[]): { out: string } {
  let out = DEFAULT_OUT;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--out') {
      const value = argv[(index += 1)];
      if (!value) throw new Error(`--out needs a directory; ${USAGE}`);
      out = resolve(value);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${arg}; ${USAGE}`);
    }
  }
  return { out };
}

try {
  const { out } = parseArguments(process.argv.slice(2));
  packageIstioCharts({ out, log: (message) => process.stderr.write(`${message}\n`) });
  process.stdout.write(`${out}\n`);
} catch (error) {
  process.stderr.write(`istio:charts: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
