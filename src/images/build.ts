/**
 * Builds one image per service from images/Dockerfile under the references of `imageReferences(registry)`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKERIGNORE_FILE, expectedDockerignore } from './build-context';
import { docker } from './docker';
import { BUNDLES_IMAGE_ARG, buildStageName, finalStageDockerfile } from './final-stage';
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
 * Builds the images, one after the other (the machine has 2 cores). The Dockerfile's build stage, which bundles every
 * service, is built once from the repository's context; then each image from its final stage alone
 * (src/images/final-stage.ts), on that build stage's image, from a context of one file: one transfer and checksum of
 * the 60 MB context instead of one per image. Before building: creates missing stand-in bases, and rewrites
 * `.dockerignore` when the bundles need other packages.
 * @throws DockerError with the failing build's log.
 */
export async function buildImages(options: BuildImagesOptions): Promise<BuiltImage[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const registry = normalizeRegistry(options.registry);
  // The build stage bundles every service (as the host does), so the context covers all of them.
  const allBundles = serviceNames().map(serviceBundle);
  syncDockerignore(expectedDockerignore(allBundles), options.updateDockerignore ?? true, log);
  if (options.createStandInBases ?? true) await createStandInBases(options.baseImages, log);

  const dockerfile = readFileSync(join(REPOSITORY_ROOT, DOCKERFILE), 'utf8');
  const work = mkdtempSync(join(tmpdir(), 'mesh-platform-images-'));
  try {
    const bundlesImage = await buildBundlesImage(buildStageName(dockerfile), options.baseImages, join(work, 'bundles.id'), log);
    // The final stage's context: its Dockerfile and nothing else.
    const context = join(work, 'context');
    mkdirSync(context);
    const finalDockerfile = join(context, 'Dockerfile');
    writeFileSync(finalDockerfile, finalStageDockerfile(dockerfile));
    const built: BuiltImage[] = [];
    for (const service of options.services ?? serviceNames()) {
      const reference = imageReference(registry, service);
      log(`images: building ${reference}`);
      const args = { ...imageBuildArgs(service, { runtime: options.baseImages?.runtime }), [BUNDLES_IMAGE_ARG]: bundlesImage };
      await docker(['build', '--file', finalDockerfile, '--force-rm', ...buildArgFlags(args), '--tag', reference, context]);
      built.push({ service, reference, bundleSha256: serviceBundle(service).sha256 });
    }
    return built;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The Dockerfile's build stage (`--target`) built from the repository's context; returns the image's ID. */
async function buildBundlesImage(stage: string, baseImages: BuildImagesOptions['baseImages'], idFile: string, log: (line: string) => void): Promise<string> {
  log(`images: bundling the services (${DOCKERFILE}, stage ${stage})`);
  const args: Record<string, string> = baseImages?.build ? { BUILD_IMAGE: baseImages.build } : {};
  // --force-rm: a failed step's container is removed too (the classic builder keeps it otherwise).
  await docker(['build', '--file', DOCKERFILE, '--target', stage, '--force-rm', ...buildArgFlags(args), '--iidfile', idFile, '.']);
  return readFileSync(idFile, 'utf8').trim();
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

/** `--build-arg NAME=value` for each argument. */
export function buildArgFlags(args: Readonly<Record<string, string>>): string[] {
  return Object.entries(args).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]);
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
