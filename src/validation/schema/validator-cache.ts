/**
 * Validation code kept between processes: ajv compiles a kind's schema into JavaScript once (hundreds of milliseconds
 * for a pod template's kinds, most of a cold run), then writes it as standalone code (`ajv/dist/standalone`) into a
 * cache directory keyed by everything the code is made from: the schema artifacts' texts, the versions of ajv and
 * ajv-formats, the ajv options and the keywords' code generators, and the V8 flags its code cache is made under. Each
 * file there is named by the hash of the schemas it checks (the kind's definition and every one it refers to,
 * ArtifactSummary's `closure`), so two versions whose schemas of a kind are equal share one file and one function.
 * Beside them, the artifacts' summaries (artifact-summary.ts). The next process loads the code instead of
 * compiling, with V8's code cache of it (written beside it at the end of the process that first loads it). The code
 * runs in the main realm (vm.Script), which under jest is not the test's; nothing in it depends on the realm of the
 * values it checks.
 *
 * A cache, not generated files in imports/: the code of every kind of every carried version is tens of megabytes, would
 * change with each ajv release, and is derived entirely from the committed schemas, so a stale or missing entry is
 * rebuilt, never wrong. Entries are written atomically (a temporary file renamed), so concurrent processes never read
 * a partial one; a cache that cannot be written only costs the next process the compilation.
 *
 * Each change to the schemas, to ajv or to the V8 flags starts a new key directory, of megabytes: a directory no
 * process has used for STALE_AFTER_DAYS is deleted when a process next compiles (a used directory's modification time
 * is moved forward at most once a day, which costs a run one `stat`).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type { ValidateFunction } from 'ajv';
import { cacheRoot } from '../../cache-root';
import type { ArtifactSummary } from './artifact-summary';
import { KEYWORD_RUNTIME, KEYWORD_RUNTIME_MODULE, KEYWORDS_FINGERPRINT } from './keywords';

const load = createRequire(__filename);

/** What cached code may require: ajv's runtime helpers, the formats, and the keywords' checks. */
function requireForCachedCode(id: string): unknown {
  return id === KEYWORD_RUNTIME_MODULE ? KEYWORD_RUNTIME : load(id);
}

type ModuleFunction = (require: (id: string) => unknown, module: object, exports: object) => void;

/** Cached code as the CommonJS module function it is run as. */
const asModule = (code: string): string => `(function (require, module, exports) {${code}\n})`;

function readIfAny(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes `data` through a temporary file renamed into place, so that no process reads half of it; a failure is not an error. */
export function writeAtomically(file: string, data: string | Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}

const pendingAtExit: (() => void)[] = [];

function atExit(write: () => void): void {
  if (pendingAtExit.length === 0) process.once('exit', () => pendingAtExit.forEach((pending) => pending()));
  pendingAtExit.push(write);
}

/**
 * The V8 flags the launcher set in this process (src/build-cache/v8-flags.js records them under this key), `''` in any
 * other: V8 rejects a code cache made under other flags, so each set of flags keeps its own entries. The key is
 * written out rather than imported: the packed library holds what tsc compiles, and v8-flags.js is plain JavaScript.
 */
const runtimeV8Flags = () => String((globalThis as Record<symbol, unknown>)[Symbol.for('mesh-platform.runtime-v8-flags')] ?? '');

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a key directory no process used is kept. */
export const STALE_AFTER_DAYS = 14;

/** Directories this process already pruned beside, or marked used: each is looked at once per process. */
const prunedBeside = new Set<string>();
const markedUsed = new Set<string>();

/**
 * Deletes the key directories beside `current` unused for STALE_AFTER_DAYS (the parse cache's too); once per process.
 */
export function pruneStaleDirectories(current: string): void {
  if (prunedBeside.has(current)) return;
  prunedBeside.add(current);
  const parent = dirname(current);
  try {
    for (const name of readdirSync(parent)) {
      const dir = join(parent, name);
      const modifiedMs = statSync(dir, { throwIfNoEntry: false })?.mtimeMs;
      if (dir !== current && modifiedMs !== undefined && Date.now() - modifiedMs > STALE_AFTER_DAYS * DAY_MS) rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    // A directory another process is deleting, or none to read: nothing to prune.
  }
}

/**
 * Moves a key directory's modification time to now when it is a day old, so that pruning sees it in use; once per
 * process.
 */
export function markDirectoryUsed(dir: string): void {
  if (markedUsed.has(dir)) return;
  markedUsed.add(dir);
  try {
    if (Date.now() - statSync(dir).mtimeMs > DAY_MS) utimesSync(dir, new Date(), new Date());
  } catch {
    // Pruned by another process meanwhile: this run has what it read.
  }
}

/** The versions of the packages whose code generation the cached code comes from. */
const GENERATOR_VERSIONS = ['ajv', 'ajv-formats'].map((name) => `${name}@${(load(`${name}/package.json`) as { version: string }).version}`);

/**
 * The cached validation code of the schema artifacts (as compiled with one set of ajv options), one file per closure
 * of schemas, and the artifacts' summaries. Where it lives: `$MESH_PLATFORM_CACHE/validators/<key>/` (src/cache-root.ts).
 */
export class ValidatorCache {
  private readonly dir: string;

  /**
   * @param sources what the code is made from: every artifact file's name and text, and the ajv options
   */
  constructor(sources: readonly string[]) {
    const hash = createHash('sha256');
    for (const part of [...sources, ...GENERATOR_VERSIONS, KEYWORDS_FINGERPRINT, runtimeV8Flags()]) hash.update(part).update('\0');
    this.dir = join(cacheRoot(), 'validators', hash.digest('hex').slice(0, 24));
  }

  /**
   * The cached validation function of the schemas whose hash is `closure` (ArtifactSummary's), or undefined when none
   * is cached yet.
   */
  load(closure: string): ValidateFunction | undefined {
    const file = this.file(closure);
    const code = readIfAny(file)?.toString('utf8');
    if (code === undefined) return undefined;
    markDirectoryUsed(this.dir);
    const module = { exports: {} as { default?: ValidateFunction } };
    // V8's code cache of the module (`.v8` beside it) spares parsing and compiling half a megabyte of code per kind.
    const codeCache = `${file}.v8`;
    const cachedData = readIfAny(codeCache);
    let script: Script;
    try {
      script = new Script(asModule(code), { filename: file, cachedData });
      (script.runInThisContext() as ModuleFunction)(requireForCachedCode, module, module.exports);
    } catch {
      // Not the code store() checked (a damaged file): compiled again and replaced.
      rmSync(file, { force: true });
      rmSync(codeCache, { force: true });
      return undefined;
    }
    // Written at exit, so that it holds the functions this run compiled too (not only the module's outer function).
    if (!cachedData || script.cachedDataRejected) atExit(() => writeAtomically(codeCache, script.createCachedData()));
    return module.exports.default;
  }

  /** Caches the standalone code (ajv/dist/standalone's output) of `closure`; a failure to write is not an error. */
  store(closure: string, code: string): void {
    try {
      new Script(asModule(code));
    } catch {
      return; // Code that does not parse is never cached: the process that compiled it uses ajv's function.
    }
    writeAtomically(this.file(closure), code);
    // Only when compiling, which takes far longer than looking.
    pruneStaleDirectories(this.dir);
  }

  /** The summaries of the artifacts by file (artifact-summary.ts), or undefined when none are cached. */
  loadSummaries(): Record<string, ArtifactSummary> | undefined {
    const text = readIfAny(this.summariesFile())?.toString('utf8');
    if (text === undefined) return undefined;
    markDirectoryUsed(this.dir);
    try {
      return JSON.parse(text) as Record<string, ArtifactSummary>;
    } catch {
      return undefined; // A damaged file: made again and replaced.
    }
  }

  /** Caches the artifacts' summaries; a failure to write is not an error. */
  storeSummaries(summaries: Record<string, ArtifactSummary>): void {
    writeAtomically(this.summariesFile(), JSON.stringify(summaries));
  }

  private file(closure: string): string {
    return join(this.dir, `${closure}.js`);
  }

  private summariesFile(): string {
    return join(this.dir, 'artifacts.json');
  }
}
