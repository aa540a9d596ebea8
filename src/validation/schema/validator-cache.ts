/**
 * Validation code kept between processes: ajv compiles a kind's schema into JavaScript once (hundreds of milliseconds
 * for a pod template's kinds, most of a cold run), then writes it as standalone code (`ajv/dist/standalone`) into a
 * cache directory keyed by everything the code is made from: the artifact files' contents, the versions of ajv and
 * ajv-formats, the ajv options and the keywords' code generators. The next process loads the code instead of compiling.
 *
 * A cache, not generated files in imports/: the code of every kind of every carried version is tens of megabytes, would
 * change with each ajv release, and is derived entirely from the committed schemas, so a stale or missing entry is
 * rebuilt, never wrong. Entries are written atomically (a temporary file renamed), so concurrent processes never read
 * a partial one; a cache that cannot be written only costs the next process the compilation.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { cacheRoot } from '../../toolchain';
import { KEYWORD_RUNTIME, KEYWORD_RUNTIME_MODULE, KEYWORDS_FINGERPRINT } from './keywords';

const load = createRequire(__filename);

/** What cached code may require: ajv's runtime helpers, the formats, and the keywords' checks. */
function requireForCachedCode(id: string): unknown {
  return id === KEYWORD_RUNTIME_MODULE ? KEYWORD_RUNTIME : load(id);
}

/** The versions of the packages whose code generation the kept code comes from. */
const GENERATOR_VERSIONS = ['ajv', 'ajv-formats'].map((name) => `${name}@${(load(`${name}/package.json`) as { version: string }).version}`);

/**
 * The cached validation code of one schema artifact (as compiled with one set of ajv options), one file per definition.
 * Where the code lives: `$MESH_PLATFORM_CACHE/validators/<key>/` (src/toolchain's cacheRoot).
 */
export class ValidatorCache {
  private readonly dir: string;

  /**
   * @param sources what the code is made from: the artifact files' texts (with their bases) and the ajv options
   */
  constructor(sources: readonly string[]) {
    const hash = createHash('sha256');
    for (const part of [...sources, ...GENERATOR_VERSIONS, KEYWORDS_FINGERPRINT]) hash.update(part).update('\0');
    this.dir = join(cacheRoot(), 'validators', hash.digest('hex').slice(0, 24));
  }

  /** The cached validation function of `definition`, or undefined when none is cached yet. */
  load(definition: string): ValidateFunction | undefined {
    const file = this.file(definition);
    let code: string;
    try {
      code = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const module = { exports: {} as { default?: ValidateFunction } };
    // The code runs in the caller's realm (new Function, not vm): its arrays and errors are the caller's own (jest's too).
    new Function('require', 'module', 'exports', `${code}\n//# sourceURL=${file}`)(requireForCachedCode, module, module.exports);
    return module.exports.default;
  }

  /** Caches the standalone code of `definition` (ajv/dist/standalone's output); a failure to write is not an error. */
  store(definition: string, code: string): void {
    const file = this.file(definition);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temporary, code);
      renameSync(temporary, file);
    } catch {
      rmSync(temporary, { force: true });
    }
  }

  private file(definition: string): string {
    return join(this.dir, `${encodeURIComponent(definition)}.js`);
  }
}
