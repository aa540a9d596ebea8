/**
 * `npm run images [-- --push] [--registry <path>] [service...]`: builds the services' images (creating local stand-in
 * base images first when the real ones are absent) and prints one line per image: `<service> <image reference>`.
 * With `--push` it pushes each one and prints the reference pinned to the registry's digest
 * (`<service> <registry>/<service>:<tag>@sha256:<digest>`), the form stack config `images` takes.
 * Registry: `--registry`, else $IMAGE_REGISTRY, else `mesh-platform` (a local name; pass your registry to push).
 */
import { parseCommandLine, UsageError } from '../../cli/usage';
import { buildImages } from '../build';
import { DOCKER_UNAVAILABLE, dockerAvailable } from '../docker';
import { pushImage } from '../push';
import { serviceNames } from '../services';

/** Registry path used when neither `--registry` nor $IMAGE_REGISTRY is given. */
const DEFAULT_REGISTRY = 'mesh-platform';

const USAGE = 'usage: npm run images -- [--push] [--registry <path>] [service...]';

const HELP = `${USAGE}

Builds each service's image under its content-addressed tag (src/images) and prints "<service> <reference>".
  --push             push each image and print "<service> <reference>@sha256:<digest>" (for stack config images)
  --registry <path>  registry host and path, e.g. localhost:5000/shop (default: $IMAGE_REGISTRY, else ${DEFAULT_REGISTRY})
  service...         only these services (default: every folder services/<name> with src/main.ts)`;

/** The command line: `--push`, an optional `--registry <path>` and service names. */
function parseArguments(argv: readonly string[]): { registry: string; push: boolean; help: boolean; services?: string[] } {
  const { values, positionals: services } = parseCommandLine(argv, {
    push: { type: 'boolean' },
    registry: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, `; ${USAGE}`);
  const registry = values.registry ?? process.env.IMAGE_REGISTRY ?? DEFAULT_REGISTRY;
  const push = values.push ?? false;
  if (values.help) return { registry, push, help: true };
  const known = serviceNames();
  const unknown = services.filter((service) => !known.includes(service));
  if (unknown.length > 0) throw new UsageError(`unknown service ${unknown.join(', ')}; the services are ${known.join(', ')}`);
  if (push && registry === DEFAULT_REGISTRY) throw new UsageError(`--push needs a registry to push to: --registry <host>/<path> or IMAGE_REGISTRY`);
  return { registry, push, help: false, services: services.length > 0 ? services : undefined };
}

async function main(argv: readonly string[]): Promise<void> {
  const { registry, push, help, services } = parseArguments(argv);
  if (help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (!dockerAvailable()) throw new Error(DOCKER_UNAVAILABLE);
  for (const image of await buildImages({ registry, services })) {
    process.stdout.write(`${image.service} ${push ? await pushImage(image.reference) : image.reference}\n`);
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`images: ${error.message}\n`);
  process.exitCode = 1;
});
