/**
 * `npm run -s istio:charts [-- --out DIR]`: packages Istio's `base`, `cni`, `istiod` and `gateway` charts at the
 * installed release (src/versions.ts `ISTIO`) from the `istio.io/istio` Go module into DIR as `<chart>-<version>.tgz`,
 * and prints DIR as the last line (progress goes to stderr). DIR defaults to dist/istio-charts.
 * Use DIR as the stack config `istioCharts`, or push its files to a private OCI registry (docs/istio.md).
 */
import { join, resolve } from 'node:path';
import { parseCommandLine, UsageError } from '../../cli/usage';
import { packageIstioCharts } from './package';

const USAGE = 'usage: npm run -s istio:charts [-- --out DIR]';

/** The default output directory, in the repository's (ignored) dist/. */
const DEFAULT_OUT = join(__dirname, '..', '..', '..', 'dist', 'istio-charts');

/** The output directory, or undefined for `--help`. */
function parseArguments(argv: readonly string[]): { out: string } | undefined {
  const { values, positionals } = parseCommandLine(argv, { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, `; ${USAGE}`);
  if (values.help) return undefined;
  if (positionals.length > 0) throw new UsageError(`unknown argument ${positionals[0]}; ${USAGE}`);
  return { out: values.out === undefined ? DEFAULT_OUT : resolve(values.out) };
}

try {
  const parsed = parseArguments(process.argv.slice(2));
  if (!parsed) {
    process.stdout.write(`${USAGE}\n`);
  } else {
    packageIstioCharts({ out: parsed.out, log: (message) => process.stderr.write(`${message}\n`) });
    process.stdout.write(`${parsed.out}\n`);
  }
} catch (error) {
  process.stderr.write(`istio:charts: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
