/**
 * The CLI's cache of parsed manifest files: reading YAML with line numbers is about half of a cold run on 1,000 objects
 * (about 1 ms per object), and an inner loop (synthesize, validate, edit one file, validate) reads mostly the same
 * files again. An entry is keyed by the SHA-256 of a file's text, in a directory keyed by the loader's own code and
 * the yaml package's version, so a changed file, a changed loader or another yaml release is parsed again. Only files
 * whose objects JSON holds exactly (no `.nan`, no repeated key: no read problem) are cached. Entries are written
 * atomically; when the directory holds more than MAX_ENTRIES, the least recently written half is removed, and the
 * directories of other loaders no process has read for two weeks are deleted (as the validator cache's are).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheRoot } from '../cache-root';
import { markDirectoryUsed, pruneStaleDirectories, writeAtomically } from './schema/validator-cache';
import type { KubeObject } from './types';

/** What decides how a file's text becomes objects: the loader's source files and the yaml package. */
const LOADER_FILES = ['load.ts', 'yaml-problems.ts', 'shapes.ts'];
const MAX_ENTRIES = 20_000;

/** The objects of one file and the line each starts on. */
export interface ParsedFile {
  readonly objects: KubeObject[];
  readonly lines: number[];
}

/** Whether JSON keeps `value` exactly (finite numbers, strings, booleans, null, arrays and plain objects only). */
function jsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(jsonExact);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(jsonExact);
}

export class ParseCache {
  private readonly dir: string | undefined;

  constructor() {
    const hash = createHash('sha256');
    try {
      hash.update(`yaml@${(createRequire(__filename)('yaml/package.json') as { version: string }).version}`);
      for (const file of LOADER_FILES) hash.update(readFileSync(join(__dirname, file)));
      this.dir = join(cacheRoot(), 'parsed', hash.digest('hex').slice(0, 24));
    } catch {
      // Not running from the sources (the loader's files are not beside this one): no cache.
      this.dir = undefined;
    }
  }

  /** The cached parse of a file with this text, if any. */
  get(text: string): ParsedFile | undefined {
    if (!this.dir) return undefined;
    try {
      const parsed = JSON.parse(readFileSync(this.file(text), 'utf8')) as ParsedFile;
      markDirectoryUsed(this.dir);
      return parsed;
    } catch {
      return undefined;
    }
  }

  /** Caches the parse of a file with this text, when JSON holds it exactly; a failure to write is not an error. */
  set(text: string, parsed: ParsedFile): void {
    if (!this.dir || !jsonExact(parsed.objects)) return;
    writeAtomically(this.file(text), JSON.stringify(parsed));
    this.prune();
  }

  private file(text: string): string {
    return join(this.dir ?? '', `${createHash('sha256').update(text).digest('hex')}.json`);
  }

  /**
   * Keeps the directory under MAX_ENTRIES: removes the least recently written half beyond it; and deletes the key
   * directories of other loaders unused for two weeks (checked once per process).
   */
  private pruned = false;
  private prune(): void {
    if (this.pruned || !this.dir) return;
    this.pruned = true;
    const dir = this.dir;
    pruneStaleDirectories(dir);
    try {
      const names = readdirSync(dir);
      if (names.length <= MAX_ENTRIES) return;
      const byAge = names.map((name) => ({ name, written: statSync(join(dir, name)).mtimeMs })).sort((a, b) => a.written - b.written);
      for (const { name } of byAge.slice(0, names.length - MAX_ENTRIES / 2)) rmSync(join(dir, name), { force: true });
    } catch {
      // Another process pruning at the same time: it will do.
    }
  }
}
