/**
 * The services' images of the e2e run: built and pushed once, by the global setup, to a registry on loopback that
 * lives as long as the run (`test/e2e/support/registry.ts`), while the cluster starts. Every file that deploys
 * through the Pulumi program reads them here instead of building its own (the build is the slowest part of a file).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT } from '../../../src/images/services';
import { startRegistry, type LocalRegistry } from './registry';

/** What the files get: the registry path the images were pushed to, and each service's digest-pinned reference. */
export interface PushedImages {
  /** `127.0.0.1:<port>/mesh-platform`: stack config `registry`, and where a test pushes a release of its own. */
  readonly registry: string;
  /** Service → `<registry>/<service>:<tag>@sha256:<digest>`, as stack config `images` takes it. */
  readonly images: Readonly<Record<string, string>>;
}

const ENV = 'MESH_E2E_IMAGES';

/**
 * Builds the images of `services` (every service when none is named) from the checkout at `dir` and pushes them to
 * `registry` with the images CLI, `npm run images -- --push`'s entry (through tsx here), as a user would before a
 * deploy: service → digest-pinned reference.
 */
export async function pushImages(registry: string, dir = REPOSITORY_ROOT, services: readonly string[] = []): Promise<Record<string, string>> {
  const pushed = await promisify(execFile)('node', ['--import', 'tsx', 'src/images/cli/images.ts', '--push', '--registry', registry, ...services], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
  return Object.fromEntries(pushed.stdout.trim().split('\n').map((line) => line.split(' ') as [string, string]));
}

/** Starts the registry and pushes every service's image to it; the setup passes the result on with {@link publishImages}. */
export async function pushRunImages(): Promise<{ registry: LocalRegistry; pushed: PushedImages }> {
  const registry = await startRegistry();
  try {
    const path = `${registry.host}/mesh-platform`;
    return { registry, pushed: { registry: path, images: await pushImages(path) } };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

/** Hands the pushed images to the test files (jest's workers inherit the setup's environment). */
export function publishImages(pushed: PushedImages): void {
  process.env[ENV] = JSON.stringify(pushed);
}

/** The images the global setup pushed. */
export function runImages(): PushedImages {
  const value = process.env[ENV];
  if (!value) throw new Error(`${ENV} is not set: run the e2e tests with \`npm run test:e2e\` (its global setup pushes the images)`);
  return JSON.parse(value) as PushedImages;
}
