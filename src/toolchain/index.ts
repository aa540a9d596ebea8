import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../cache-root';
import { TOOLCHAIN } from '../versions';
import { RECIPES, type Recipe } from './recipes';

/** The key of the whole toolchain: changes when any version in src/versions.ts' TOOLCHAIN changes. */
export function toolchainKey(): string {
  return createHash('sha256').update(JSON.stringify(TOOLCHAIN)).digest('hex').slice(0, 12);
}

/** The directory holding every binary of the toolchain (links into the per-tool caches). */
export function toolchainBin(): string {
  return join(cacheRoot(), 'toolchain', toolchainKey(), 'bin');
}

/** Why the last build could not make each tool that is missing (recipe name → one line), beside {@link toolchainBin}. */
function unavailableFile(): string {
  return join(toolchainBin(), '..', 'unavailable.json');
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

/** What {@link ensureToolchain} made. */
export interface Toolchain {
  /** The directory holding a link to every binary that could be built ({@link toolchainBin}). */
  readonly bin: string;
  /** The tools that could not be built: recipe name → why, in one line (empty when all are there). */
  readonly unavailable: Readonly<Record<string, string>>;
}

/** Options of {@link ensureToolchain}. */
export interface ToolchainOptions {
  /** Progress messages. @default none */
  readonly progress?: Progress;
  /** The tools (recipe names) that must be there: the call throws when one of them cannot be built. @default none */
  readonly required?: readonly string[];
  /** The recipes to build (tests give their own). @default RECIPES, every tool of src/versions.ts' TOOLCHAIN */
  readonly recipes?: readonly Recipe[];
  /** How many tools are built at once. @default `$MESH_PLATFORM_TOOLCHAIN_JOBS`, else 2 */
  readonly concurrency?: number;
}

/** Builds at once by default: two on this project's two-core machines, where each go build already uses every core. */
const DEFAULT_CONCURRENCY = Number(process.env.MESH_PLATFORM_TOOLCHAIN_JOBS) || 2;

/**
 * Builds every tool that is not cached, then links the binaries of all that are into {@link toolchainBin}. A tool
 * that cannot be built (its module version withdrawn by the proxy, a failing build) does not stop the others: it is
 * reported in {@link Toolchain.unavailable} and recorded, so that {@link requireTool} can say why it is missing.
 * A tool is built into a temporary directory and moved into place only when complete, so an interrupted build never
 * leaves a half-built tool that looks cached.
 * @throws Error naming the failing steps, when a tool of `options.required` is unavailable
 */
export async function ensureToolchain(options: ToolchainOptions = {}): Promise<Toolchain> {
  const progress = options.progress ?? (() => undefined);
  const recipes = options.recipes ?? RECIPES;
  const unavailable: Record<string, string> = {};
  const buildStep = async (recipe: Recipe, index: number): Promise<void> => {
    const step = `[${index + 1}/${recipes.length}] ${recipe.name} ${recipe.tool.release}`;
    if (isCached(recipe)) {
      progress(`${step}: cached`);
      return;
    }
    progress(`${step}: building ${recipe.binaries.join(', ')} from ${recipe.tool.module}@${recipe.tool.version} ...`);
    const started = Date.now();
    try {
      await buildTool(recipe, progress);
      progress(`${step}: built in ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (error) {
      unavailable[recipe.name] = `${recipe.name} (${recipe.binaries.join(', ')}): ${(error as Error).message}`;
      progress(`${step}: FAILED: ${unavailable[recipe.name]}`);
    }
  };
  // A few builds at once: while one links (one core) or downloads modules (the network), another compiles.
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < recipes.length; index = next++) await buildStep(recipes[index], index);
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY) }, worker));
  const bin = toolchainBin();
  linkBinaries(bin, recipes);
  // What this call tried replaces its earlier record; the other tools' records stay (a call may build a few tools).
  const tried = new Set(recipes.map((recipe) => recipe.name));
  const kept = Object.entries(recordedUnavailable()).filter(([name]) => !tried.has(name));
  writeFileSync(unavailableFile(), `${JSON.stringify({ ...Object.fromEntries(kept), ...unavailable }, null, 2)}\n`);
  const missing = (options.required ?? []).filter((name) => unavailable[name]);
  if (missing.length > 0) throw new Error(missing.map((name) => `toolchain: ${unavailable[name]}`).join('\n'));
  return { bin, unavailable };
}

/**
 * Builds one tool into its cache directory, through a partial directory renamed into place when complete. Another
 * process building the same tool (a second clone, a CI run beside a session) holds its lock: wait for it, then use
 * what it built.
 */
async function buildTool(recipe: Recipe, progress: Progress): Promise<void> {
  const release = await acquireLock(`${toolDir(recipe)}.lock`, () => progress(`${recipe.name}: waiting for another process building it`));
  try {
    if (!isCached(recipe)) await buildUnlocked(recipe);
  } finally {
    release();
  }
}

/** Whether a process with this id is running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes a lock directory holding the owner's pid (mkdir is atomic), waiting while a live process holds it. */
async function acquireLock(lock: string, waiting: () => void): Promise<() => void> {
  mkdirSync(join(lock, '..'), { recursive: true });
  for (let announced = false; ; ) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // Taken a moment ago, pid not written yet.
    }
    if (Number.isInteger(owner) && !alive(owner)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!announced) waiting();
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function buildUnlocked(recipe: Recipe): Promise<void> {
  const final = toolDir(recipe);
  const partial = `${final}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'bin'), { recursive: true });
  try {
    await recipe.build({ work: join(partial, 'work'), bin: join(partial, 'bin') });
    const missing = recipe.binaries.filter((binary) => !existsSync(join(partial, 'bin', binary)));
    if (missing.length > 0) throw new Error(`the build produced no ${missing.join(', ')}`);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  // The work tree (wrapper module, copied sources) is kept out of the cache; the Go caches keep what matters.
  rmSync(join(partial, 'work'), { recursive: true, force: true });
  writeFileSync(join(partial, STAMP), JSON.stringify({ ...recipe.tool, builtAt: new Date().toISOString() }, null, 2));
  rmSync(final, { recursive: true, force: true });
  renameSync(partial, final);
}

/** Makes `bin` hold a link to the binaries of every cached tool (replacing stale links, removing dangling ones). */
function linkBinaries(bin: string, recipes: readonly Recipe[]): void {
  mkdirSync(bin, { recursive: true });
  for (const recipe of recipes) {
    for (const binary of recipe.binaries) {
      const link = join(bin, binary);
      rmSync(link, { force: true });
      if (isCached(recipe)) symlinkSync(join(toolDir(recipe), 'bin', binary), link);
    }
  }
  writeFileSync(join(bin, '..', 'versions.json'), `${JSON.stringify(TOOLCHAIN, null, 2)}\n`);
}

/** The tools the last builds could not make: recipe name → why (empty before any build with these versions). */
function recordedUnavailable(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(unavailableFile(), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** The toolchain's bin directory if every tool is built, without building anything; undefined otherwise. */
export function existingToolchain(): string | undefined {
  const bin = toolchainBin();
  const complete = RECIPES.every((recipe) => isCached(recipe) && recipe.binaries.every((binary) => existsSync(join(bin, binary))));
  return complete ? bin : undefined;
}

/** The recipe that builds `binary`. @throws Error for a binary no recipe builds (a typo in a caller) */
function recipeOf(binary: string): Recipe {
  const recipe = RECIPES.find((candidate) => candidate.binaries.includes(binary));
  if (!recipe) throw new Error(`no toolchain tool builds "${binary}" (known: ${RECIPES.flatMap((r) => r.binaries).join(', ')})`);
  return recipe;
}

/** The path of a built toolchain binary, or undefined when it is not built (see {@link requireTool} for why). */
export function toolPath(binary: string): string | undefined {
  const recipe = recipeOf(binary);
  return isCached(recipe) ? join(toolDir(recipe), 'bin', binary) : undefined;
}

/** Why `binary` is not built, in one line with the fix, or undefined when it is. */
export function toolUnavailableReason(binary: string): string | undefined {
  if (toolPath(binary)) return undefined;
  const recipe = recipeOf(binary);
  const recorded = recordedUnavailable();
  return recorded[recipe.name]
    ? `${binary} is unavailable: ${recorded[recipe.name]}`
    : `${binary} is not built: run \`npm run -s toolchain\` (builds ${recipe.tool.module}@${recipe.tool.version})`;
}

/**
 * The path of a built toolchain binary.
 * @throws Error naming the binary, why it is missing (the last build's failure, or no build yet) and the fix
 */
export function requireTool(binary: string): string {
  const path = toolPath(binary);
  if (path) return path;
  throw new Error(toolUnavailableReason(binary));
}
