/**
 * cdk8s entry point (`npm run synth`, `cdk8s synth`): writes every environment to `<outdir>/<env>/`.
 * The only place that reads the environment: CDK8S_OUTDIR and CDK8S_RECORD_CONSTRUCT_METADATA (set by `cdk8s synth`),
 * PLATFORM_ENVIRONMENTS.
 * Writing is src/synth-output.ts: all environments are checked before anything is written.
 */
import { dirname } from 'node:path';
import { parseCommandLine, UsageError } from './cli/usage';
import { ENVIRONMENTS, isEnvironmentName, type EnvironmentName } from './description';
import { SynthesisConfigError, writeEnvironments } from './synth-output';

const HELP = `Usage: npm run synth [-- --help]

Synthesizes every environment (${ENVIRONMENTS.join(', ')}) to dist/<env>/ and prints one line per environment:
the file, its objects by kind, its Grafana dashboards (dist/<env>/dashboards/) and the time taken.
npm run diff -- <envA> <envB> compares two in memory.
  PLATFORM_ENVIRONMENTS=prod,staging   only these environments
  CDK8S_OUTDIR=out                     another output directory (cdk8s synth sets it)
Nothing is written when any selected environment's configuration is invalid.`;

function selectedEnvironments(): EnvironmentName[] {
  const requested = process.env.PLATFORM_ENVIRONMENTS?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!requested) return [...ENVIRONMENTS];
  const unknown = requested.filter((name) => !isEnvironmentName(name));
  if (unknown.length > 0) {
    throw new UsageError(`PLATFORM_ENVIRONMENTS: unknown environment ${unknown.join(', ')} (known: ${ENVIRONMENTS.join(', ')})`);
  }
  return requested as EnvironmentName[];
}

function main(argv: readonly string[]): void {
  const { values, positionals } = parseCommandLine(argv, { help: { type: 'boolean', short: 'h' } }, '; see npm run synth -- --help');
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`unknown argument ${positionals[0]}; see npm run synth -- --help`);
  const written = writeEnvironments({
    outdir: process.env.CDK8S_OUTDIR ?? 'dist',
    environments: selectedEnvironments(),
    // `cdk8s synth` asks for construct metadata so that validation findings name the construct that caused them.
    constructMetadata: process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true',
  });
  for (const { environment, file, dashboards, objects, kinds, milliseconds } of written) {
    const byKind = Object.entries(kinds).map(([kind, count]) => `${count} ${kind}`).join(', ');
    const dashboardFiles = dashboards.length > 0 ? `, ${dashboards.length} dashboards in ${dirname(dashboards[0])}` : '';
    console.log(`${environment}: ${file} (${objects} objects: ${byKind})${dashboardFiles} in ${(milliseconds / 1000).toFixed(1)} s`);
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError || error instanceof SynthesisConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
