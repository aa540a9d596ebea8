import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Repository root: every path the images use (build context, entries, Dockerfile) is relative to it. */
export const REPOSITORY_ROOT = resolve(__dirname, '..', '..');

/** Where the services live; `kit` is their shared code, not a service. */
const SERVICES_DIRECTORY = 'services';

/** Entry point of a service, relative to the repository root: `services/<name>/src/main.ts`. */
export function serviceEntry(service: string): string {
  return `${SERVICES_DIRECTORY}/${service}/src/main.ts`;
}

/**
 * Names of the services that get an image: every folder `services/<name>` with an entry `src/main.ts`, sorted.
 * Derived from the tree, so adding a service folder adds its image.
 */
export function serviceNames(root: string = REPOSITORY_ROOT): string[] {
  const directory = join(root, SERVICES_DIRECTORY);
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, serviceEntry(entry.name))))
    .map((entry) => entry.name)
    .sort();
}
