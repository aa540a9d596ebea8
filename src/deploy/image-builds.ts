import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKERFILE, imageBuildArgs } from '../images/build';
import { REPOSITORY_ROOT } from '../images/services';
import type { ServiceImageBuild } from './service-images';

/** Base images of the shared Dockerfile, passed as its `BUILD_IMAGE` and `RUNTIME_IMAGE` build args. */
export interface BaseImages {
  /** Image of the build stage (Node.js, bundles the service). @default the Dockerfile's `ARG BUILD_IMAGE` default */
  readonly build?: string;
  /** Image the service runs on (distroless Node.js). @default the Dockerfile's `ARG RUNTIME_IMAGE` default */
  readonly runtime?: string;
}

/** The defaults of the Dockerfile's `ARG NAME=value` lines: the Dockerfile stays the one place they are written. */
export function dockerfileArgDefaults(dockerfileText: string): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const [, name, value] of dockerfileText.matchAll(/^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S*)\s*$/gm)) {
    defaults[name] = value.replace(/^"(.*)"$/, '$1');
  }
  return defaults;
}

/**
 * How each service image is built: the repository root as context (narrowed by the generated `.dockerignore`),
 * images/Dockerfile, and the build args `SERVICE`, `BUNDLE_SHA256` (the build fails unless the bundle it makes hashes
 * to the one the tag was derived from) and the two base images, always explicit so the stack's config decides them.
 * @param references tag reference per service, from `imageReferences(registry)`.
 */
export function serviceImageBuilds(
  references: Readonly<Record<string, string>>,
  baseImages: BaseImages = {},
  root: string = REPOSITORY_ROOT,
): ServiceImageBuild[] {
  const dockerfile = join(root, DOCKERFILE);
  const defaults = dockerfileArgDefaults(readFileSync(dockerfile, 'utf8'));
  const bases = { BUILD_IMAGE: baseImages.build ?? defaults.BUILD_IMAGE, RUNTIME_IMAGE: baseImages.runtime ?? defaults.RUNTIME_IMAGE };
  for (const [arg, value] of Object.entries(bases)) {
    if (!value) throw new Error(`${DOCKERFILE}: no default for ARG ${arg}; set config baseImages or give the ARG a default`);
  }
  return Object.entries(references).map(([service, reference]) => ({
    service,
    reference,
    context: root,
    dockerfile,
    args: imageBuildArgs(service, { build: bases.BUILD_IMAGE, runtime: bases.RUNTIME_IMAGE }),
  }));
}
