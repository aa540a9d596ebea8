import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TOOLCHAIN } from '../versions';
import { RECIPES, type Recipe } from './recipes';

/**
 * The root of the toolchain cache, outside the clone so that every clone and CI run on the machine shares it.
 * @default `$MESH_PLATFORM_CACHE`, else `$XDG_CACHE_HOME/mesh-platform`, else `~/.cache/mesh-platform`
 */
export function cacheRoot(): string {
  return process.env.MESH_PLATFORM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mesh-platform');
}

/** The key of the whole toolchain: changes when any version in src/versions.ts' TOOLCHAIN changes. */
export function toolchainKey(): string {
  return createHash('sha256').update(JSON.stringify(TOOLCHAIN)).digest('hex').slice(0, 12);
}

/** The directory holding every binary of the toolchain (links into the per-tool caches). */
export function toolchainBin(): string {
  return join(cacheRoot(), 'toolchain', toolchainKey(), 'bin');
}

/** One tool's cache directory, keyed by its module version, so a bump rebuilds only that tool. */
function toolDir(recipe: Recipe): string {
  return join(cacheRoot(), 'toolchain', 'tools', `${recipe.name}-${recipe.tool.version}`);
}

const STAMP = 'complete.json';

/** A tool is cached when its build finished (stamp written last) and every binary is there. */
function isCached(recipe: Recipe): boolean {
  const dir = toolDir(recipe);
  if (!existsSync(join(dir, STAMP))) return false;
  return recipe.binaries.every((binary) => existsSync(join(dir, 'bin', binary)));
}

/** Progress reporting of {@link ensureToolchain}. */
export type Progress = (message: string) => void;

/**
 * Builds every tool that is not cached, then links all binaries into {@link toolchainBin}, and returns that directory.
 * A tool is built into a temporary directory and moved into place only when complete, so an interrupted build never
 * leaves a half-built tool that looks cached.
 * @throws Error naming the failing step
 */
export async function ensureToolchain(progress: Progress = () => undefined): Promise<string> {
  const bin = toolchainBin();
  for (const [index, recipe] of RECIPES.entries()) {
    const step = `[${index + 1}/${RECIPES.length}] ${recipe.name} ${recipe.tool.release}`;
    if (isCached(recipe)) {
      progress(`${step}: cached`);
      continue;
    }
    progress(`${step}: building ${recipe.binaries.join(', ')} from ${recipe.tool.module}@${recipe.tool.version} ...`);
    const started = Date.now();
    const final = toolDir(recipe);
    const partial = `${final}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(join(partial, 'bin'), { recursive: true });
    try {
      await recipe.build({ work: join(partial, 'work'), bin: join(partial, 'bin') });
      const missing = recipe.binaries.filter((binary) => !existsSync(join(partial, 'bin', binary)));
      if (missing.length > 0) throw new Error(`the build produced no ${missing.join(', ')}`);
    } catch (error) {
      throw new Error(`toolchain step "${recipe.name}" failed: ${(error as Error).message}`, { cause: error });
    }
    // The work tree (wrapper module, copied sources) is kept out of the cache; the Go caches keep what matters.
    rmSync(join(partial, 'work'), { recursive: true, force: true });
    writeFileSync(join(partial, STAMP), JSON.stringify({ ...recipe.tool, builtAt: new Date().toISOString() }, null, 2));
    rmSync(final, { recursive: true, force: true });
    renameSync(partial, final);
    progress(`${step}: built in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  linkBinaries(bin);
  return bin;
}

/** Makes `bin` hold a link to every tool's binaries (replacing stale links). */
function linkBinaries(bin: string): void {
  mkdirSync(bin, { recursive: true });
  for (const recipe of RECIPES) {
    for (const binary of recipe.binaries) {
      const link = join(bin, binary);
      rmSync(link, { force: true });
      symlinkSync(join(toolDir(recipe), 'bin', binary), link);
    }
  }
  writeFileSync(join(bin, '..', 'versions.json'), `${JSON.stringify(TOOLCHAIN, null, 2)}\n`);
}

/** The toolchain's bin directory if it is complete, without building anything; undefined otherwise. */
export function existingToolchain(): string | undefined {
  const bin = toolchainBin();
  const complete = RECIPES.every((recipe) => isCached(recipe) && recipe.binaries.every((binary) => existsSync(join(bin, binary))));
  return complete ? bin : undefined;
}
