/**
 * `npm run diff -- <envA> <envB> [--service <name>]`: what differs, per object, between two environments' synthesized
 * output (the question before promoting), and `npm run diff -- --show <env> --service <name>`: one service's objects.
 */
import { stringify } from 'yaml';
import { parseCommandLine, UsageError } from '../cli/usage';
import { imageReferences } from '../images';
import { synthesizePlatform } from '../platform';
import { ENVIRONMENTS, isEnvironmentName, PlatformConfigError, type EnvironmentName, type PlatformSpec } from '../description';
import { deliveryDiff } from './delivery-diff';
import { didYouMean } from '../description/suggest';
import { diffObjects, formatDiff, serviceObjects, type ManifestObject } from './object-diff';

const HELP = `Usage: npm run diff -- <envA> <envB> [--service <name>]
       npm run diff -- --show <env> --service <name>

Synthesizes both environments in memory (nothing is written) and prints first each service delivered differently
(~ delivery <service>: static weights or Flagger's steps), then per object (Kind namespace/name) whether it is only in
one of them (+/-) or which fields differ (~ path: <envA value> -> <envB value>).
  --service <name>   only the objects of that service (labelled app.kubernetes.io/name=<name>)
  --show <env>       print that environment's objects of --service as YAML instead
Environments: ${ENVIRONMENTS.join(', ')}. Exit 0 with or without differences; 1 on a configuration error; 2 on a usage error.`;

function environment(name: string | undefined): EnvironmentName {
  if (name && isEnvironmentName(name)) return name;
  const guess = name ? didYouMean(name, ENVIRONMENTS) : '';
  throw new UsageError(`${name ? `unknown environment "${name}"` : 'an environment is missing'} (known: ${ENVIRONMENTS.join(', ')})${guess ? `; ${guess}` : ''}`);
}

function objectsOf(env: EnvironmentName, service: string | undefined): { spec: PlatformSpec; objects: ManifestObject[] } {
  const { spec, objects } = synthesizePlatform(env, { images: imageReferences });
  if (service && !spec.services.some((s) => s.name === service)) {
    const names = spec.services.map((s) => s.name);
    const guess = didYouMean(service, names);
    throw new UsageError(`no service "${service}" in ${env} (services: ${names.join(', ')})${guess ? `; ${guess}` : ''}`);
  }
  return { spec, objects: service ? serviceObjects(objects as ManifestObject[], service) : (objects as ManifestObject[]) };
}

function main(argv: readonly string[]): void {
  const { values: { help, service, show }, positionals: positional } = parseCommandLine(argv, {
    service: { type: 'string' },
    show: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, '; see npm run diff -- --help');
  if (help || argv.length === 0) {
    console.log(HELP);
    if (argv.length === 0) process.exitCode = 2;
    return;
  }
  if (show !== undefined) {
    if (!service || positional.length > 0) throw new UsageError('--show <env> takes --service <name> and no other environment');
    const { objects } = objectsOf(environment(show), service);
    process.stdout.write(objects.map((object) => stringify(object)).join('---\n'));
    return;
  }
  if (positional.length !== 2) throw new UsageError(`expected two environments, got ${positional.length}; see npm run diff -- --help`);
  const [a, b] = positional.map(environment);
  const [left, right] = [objectsOf(a, service), objectsOf(b, service)];
  for (const line of deliveryDiff(left.spec, right.spec, service)) console.log(line);
  console.log(formatDiff(diffObjects(left.objects, right.objects), [a, b]));
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`diff: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof PlatformConfigError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
