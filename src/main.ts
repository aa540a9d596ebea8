/**
 * cdk8s entry point (`npm run synth`, `cdk8s synth`): writes every environment to `<outdir>/<env>/`.
 * The only place that reads the environment: CDK8S_OUTDIR and CDK8S_RECORD_CONSTRUCT_METADATA (set by `cdk8s synth`),
 * PLATFORM_ENVIRONMENTS.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { imageReferences } from './images';
import { writeConstructMetadata } from './validation/construct-metadata';
import { addPlatformChart, loadPlatformSpec } from './platform';
import { ENVIRONMENTS, PlatformConfigError, type EnvironmentName } from './spec';

/** A mistake in how the entry point was called, reported as one line. */
class UsageError extends Error {}

function selectedEnvironments(): EnvironmentName[] {
  const requested = process.env.PLATFORM_ENVIRONMENTS?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!requested) return [...ENVIRONMENTS];
  const unknown = requested.filter((name) => !(ENVIRONMENTS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new UsageError(`PLATFORM_ENVIRONMENTS: unknown environment ${unknown.join(', ')} (known: ${ENVIRONMENTS.join(', ')})`);
  }
  return requested as EnvironmentName[];
}

function main(): void {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  for (const environment of selectedEnvironments()) {
    const spec = loadPlatformSpec(environment, { images: imageReferences });
    const envOutdir = join(outdir, environment);
    // Replace the environment's output whole, so that nothing from an earlier run (a removed chart) is left behind.
    rmSync(envOutdir, { recursive: true, force: true });
    const app = new App({ outdir: envOutdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    addPlatformChart(app, spec);
    app.synth();
    // `cdk8s synth` asks for construct metadata so that validation findings name the construct that caused them.
    if (process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true') writeConstructMetadata(app, app.outdir);
  }
}

try {
  main();
} catch (error) {
  if (!(error instanceof PlatformConfigError || error instanceof UsageError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
