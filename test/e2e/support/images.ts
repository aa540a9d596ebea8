/**
 * The services' images of the e2e run: built and pushed once, in the background from the global setup on, to a
 * registry on loopback that lives as long as the run (`test/e2e/support/registry.ts`). Every file that deploys through
 * the Pulumi program waits for them here instead of building its own (the build was the slowest part of such a file);
 * the setup writes them to a file named by `MESH_E2E_IMAGES` once pushed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
 * `registry` with `npm run images -- --push`, as a user would before a deploy: service → digest-pinned reference.
 */
export async function pushImages(registry: string, dir = REPOSITORY_ROOT, services: readonly string[] = []): Promise<Record<string, string>> {
  const pushed = await promisify(execFile)('node', ['--import', 'tsx', 'src/images/cli/images.ts', '--push', '--registry', registry, ...services], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
  return Object.fromEntries(pushed.stdout.trim().split('\n').map((line) => line.split(' ') as [string, string]));
}

/** What the setup keeps for the teardown. */
export interface RunImages {
  readonly registry: LocalRegistry;
  /** Settles (never rejects) once the images are pushed or the push failed, and the files were told. */
  readonly pushed: Promise<void>;
  /** Stops the registry once the push settled, and removes the file. */
  stop(): Promise<void>;
}

/**
 * Starts the registry, then builds and pushes every service's image to it in the background, so the files that need
 * no image start with the cluster; {@link runImages} waits for the result (or the failure) in the file that needs it.
 */
export async function startRunImages(): Promise<RunImages> {
  const registry = await startRegistry();
  const dir = mkdtempSync(join(tmpdir(), 'mesh-e2e-images-'));
  const file = join(dir, 'images.json');
  process.env[ENV] = file; // jest's workers inherit the setup's environment
  const path = `${registry.host}/mesh-platform`;
  const tell = (result: PushedImages | { error: string }) => {
    writeFileSync(`${file}.partial`, JSON.stringify(result));
    renameSync(`${file}.partial`, file);
  };
  const pushed = pushImages(path).then((images) => tell({ registry: path, images }), (error: Error) => tell({ error: error.message }));
  return {
    registry,
    pushed,
    async stop() {
      await pushed;
      await registry.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The images the global setup pushed, once it has (a failed push fails here with its reason). */
export async function runImages(): Promise<PushedImages> {
  const file = process.env[ENV];
  if (!file) throw new Error(`${ENV} is not set: run the e2e tests with \`npm run test:e2e\` (its global setup pushes the images)`);
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 500));
  const result = JSON.parse(readFileSync(file, 'utf8')) as PushedImages | { error: string };
  if ('error' in result) throw new Error(`the global setup could not push the services' images: ${result.error}`);
  return result;
}
