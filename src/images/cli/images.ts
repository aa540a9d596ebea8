/**
 * `npm run images [-- --registry <path>] [service...]`: builds the services' images (creating local stand-in base
 * images first when the real ones are absent) and prints one line per image: `<service> <image reference>`.
 * Registry: `--registry`, else $IMAGE_REGISTRY, else `mesh-platform` (a local name; pass your registry to push).
 */
import { buildImages } from '../build';
import { DOCKER_UNAVAILABLE, dockerAvailable } from '../docker';
import { serviceNames } from '../services';

/** Registry path used when neither `--registry` nor $IMAGE_REGISTRY is given. */
const DEFAULT_REGISTRY = 'mesh-platform';

/** The command line: an optional `--registry <path>` and service names. */
function parseArguments(argv: readonly string[]): { registry: string; services?: string[] } {
  let registry = process.env.IMAGE_REGISTRY ?? DEFAULT_REGISTRY;
  const services: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--registry') {
      const value = argv[(index += 1)];
      if (!value) throw new Error('--registry needs a value, e.g. --registry registry.example.com/shop');
      registry = value;
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}; usage: npm run images -- [--registry <path>] [service...]`);
    } else {
      services.push(arg);
    }
  }
  const known = serviceNames();
  const unknown = services.filter((service) => !known.includes(service));
  if (unknown.length > 0) throw new Error(`unknown service ${unknown.join(', ')}; the services are ${known.join(', ')}`);
  return { registry, services: services.length > 0 ? services : undefined };
}

async function main(argv: readonly string[]): Promise<void> {
  const { registry, services } = parseArguments(argv);
  if (!dockerAvailable()) throw new Error(DOCKER_UNAVAILABLE);
  for (const image of await buildImages({ registry, services })) {
    process.stdout.write(`${image.service} ${image.reference}\n`);
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`images: ${error.message}\n`);
  process.exitCode = 1;
});
