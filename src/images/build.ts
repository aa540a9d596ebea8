/**
 * Builds one image per service from images/Dockerfile under the references of `imageReferences(registry)`.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKERIGNORE_FILE, expectedDockerignore } from './build-context';
import { docker } from './docker';
import { bundleDigest, imageReference, normalizeRegistry, serviceBundle } from './index';
import { REPOSITORY_ROOT, serviceNames } from './services';

/** The Dockerfile shared by every service, relative to the repository root. */
export const DOCKERFILE = 'images/Dockerfile';

/** Creates the local stand-in base images when absent (the offline path; see the script's header). */
const STAND_IN_SCRIPT = 'images/stand-in-bases.sh';

/** Options of `buildImages`. */
export interface BuildImagesOptions {
  /** Registry path the references name, e.g. `registry.example.com/shop`. */
  readonly registry: string;
  /** Services to build. @default every service (`serviceNames()`) */
  readonly services?: readonly string[];
  /**
   * Base images, passed as the Dockerfile's build arguments.
   * @default the Dockerfile's defaults (`node:20-bookworm-slim`, `gcr.io/distroless/nodejs20-debian12:nonroot`)
   */
  readonly baseImages?: { readonly build?: string; readonly runtime?: string };
  /** Create local stand-ins for base images that are not present locally. @default true */
  readonly createStandInBases?: boolean;
  /**
   * Rewrite a stale `.dockerignore` (true), or fail naming the fix (false: tests, so a stale committed file shows).
   * @default true
   */
  readonly updateDockerignore?: boolean;
  /** Progress lines (one per step). @default write to stderr */
  readonly log?: (line: string) => void;
}

/** One built image. */
export interface BuiltImage {
  /** The service's name. */
  readonly service: string;
  /** The image's reference, `<registry>/<service>:sha256-<16 hex>`. */
  readonly reference: string;
  /** Full hex SHA-256 of the bundle the image runs. */
  readonly bundleSha256: string;
}

/**
 * Builds the images, one after the other (the machine has 2 cores; Docker's layer cache shares the common layers).
 * Before building: creates missing stand-in bases, and rewrites `.dockerignore` when the bundles need other packages.
 * @throws DockerError with the failing build's log.
 */
export async function buildImages(options: BuildImagesOptions): Promise<BuiltImage[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const registry = normalizeRegistry(options.registry);
  // The build stage bundles every service (as the host does), so the context covers all of them.
  const allBundles = serviceNames().map(serviceBundle);
  syncDockerignore(expectedDockerignore(allBundles), options.updateDockerignore ?? true, log);
  if (options.createStandInBases ?? true) await createStandInBases(options.baseImages, log);

  const built: BuiltImage[] = [];
  for (const service of options.services ?? serviceNames()) {
    const reference = imageReference(registry, service);
    log(`images: building ${reference}`);
    await docker(['build', ...buildArguments(service, options.baseImages), '--tag', reference, '.']);
    built.push({ service, reference, bundleSha256: serviceBundle(service).sha256 });
  }
  return built;
}

/**
 * The build arguments of one service's image: `SERVICE`, `BUNDLE_SHA256` (the host's hash of its bundle, which the
 * Dockerfile checks) and the base images when given (else the Dockerfile's defaults apply).
 */
export function imageBuildArgs(service: string, baseImages: BuildImagesOptions['baseImages'] = {}): Record<string, string> {
  const args: Record<string, string> = { SERVICE: service, BUNDLE_SHA256: bundleDigest(service) };
  if (baseImages.build) args.BUILD_IMAGE = baseImages.build;
  if (baseImages.runtime) args.RUNTIME_IMAGE = baseImages.runtime;
  return args;
}

/** `docker build` arguments for one service's image, without the tag and the context. */
export function buildArguments(service: string, baseImages: BuildImagesOptions['baseImages'] = {}): string[] {
  const buildArgs = Object.entries(imageBuildArgs(service, baseImages)).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]);
  // --force-rm: a failed step's container is removed too (the classic builder keeps it otherwise).
  return ['--file', DOCKERFILE, '--force-rm', ...buildArgs];
}

/** Brings `.dockerignore` up to date, or throws when it is stale and `update` is false. */
function syncDockerignore(expected: string, update: boolean, log: (line: string) => void): void {
  const path = join(REPOSITORY_ROOT, DOCKERIGNORE_FILE);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // absent: written below
  }
  if (current === expected) return;
  if (!update) throw new Error(`${DOCKERIGNORE_FILE} is stale: run \`npm run images\` to regenerate it, and commit it`);
  writeFileSync(path, expected);
  log(`images: updated ${DOCKERIGNORE_FILE} (commit it)`);
}

function createStandInBases(baseImages: BuildImagesOptions['baseImages'] = {}, log: (line: string) => void): Promise<void> {
  const env = { ...process.env };
  if (baseImages.build) env.BUILD_IMAGE = baseImages.build;
  if (baseImages.runtime) env.RUNTIME_IMAGE = baseImages.runtime;
  return new Promise((resolve, reject) => {
    execFile('bash', [STAND_IN_SCRIPT], { cwd: REPOSITORY_ROOT, env }, (error, _stdout, stderr) => {
      for (const line of stderr.split('\n').filter((l) => l.includes('created'))) log(line);
      if (error) reject(new Error(`${STAND_IN_SCRIPT} failed:\n${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}
