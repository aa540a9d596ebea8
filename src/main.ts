/**
 * cdk8s entry point (`npm run synth`, `cdk8s synth`): writes every environment to `<outdir>/<env>/`.
 * The only place that reads the environment: CDK8S_OUTDIR (set by `cdk8s synth`), PLATFORM_ENVIRONMENTS.
 */
import { join } from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { imageReferences } from './images';
import { addPlatformChart, loadPlatformSpec } from './platform';
import { ENVIRONMENTS, PlatformConfigError, type EnvironmentName } from './spec';

function selectedEnvironments(): EnvironmentName[] {
  const requested = process.env.PLATFORM_ENVIRONMENTS?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!requested) return [...ENVIRONMENTS];
  const unknown = requested.filter((name) => !(ENVIRONMENTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`PLATFORM_ENVIRONMENTS: unknown environment ${unknown.join(', ')} (known: ${ENVIRONMENTS.join(', ')})`);
  return requested as EnvironmentName[];
}

function main(): void {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  for (const environment of selectedEnvironments()) {
    const spec = loadPlatformSpec(environment, { images: imageReferences });
    const app = new App({ outdir: join(outdir, environment), yamlOutputType: YamlOutputType.FILE_PER_CHART });
    addPlatformChart(app, spec);
    app.synth();
  }
}

try {
  main();
} catch (error) {
  if (!(error instanceof PlatformConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
