/** Types of manifest.js (plain JavaScript so that the entry-point launcher can run it before any TypeScript). */

/** A valid manifest: the inputs a build read, their fingerprint, and what the build produced. */
export interface FreshManifest<Output> {
  /** Files the build read, relative to the repository root, sorted. */
  readonly inputs: readonly string[];
  /** Hex SHA-256 of the salt, the inputs' bytes and their directories' names. */
  readonly fingerprint: string;
  /** What the build recorded about its result. */
  readonly output: Output;
}

/** A finished build to record. */
export interface FinishedBuild<Output> {
  /** Everything else the output depends on (tool version, options). */
  readonly salt: string;
  /** Files the build read, relative to the repository root. */
  readonly inputs: readonly string[];
  /** What to record about the result (JSON). */
  readonly output: Output;
  /** When the build started (`Date.now()`): inputs modified since then make the build uncacheable. */
  readonly startedMs: number;
}

/** `node_modules/.cache/mesh-platform/<subdirectory>` under the root, created when absent. */
export function cacheDirectory(root: string, subdirectory?: string): string;

/** Hex SHA-256 over the salt, every input's path and bytes, and the names in every directory the inputs lie in. */
export function inputsFingerprint(root: string, inputs: readonly string[], salt: string): string;

/** The manifest in `file` when its salt matches and its inputs still fingerprint the same, else undefined. */
export function readFreshManifest<Output>(file: string, root: string, salt: string): FreshManifest<Output> | undefined;

/** Writes a file beside its path and renames it into place: readers see the old contents or the new. */
export function writeFileAtomically(path: string, contents: string | Uint8Array): void;

/** Records a finished build, unless an input changed while it ran; returns whether it was recorded. */
export function writeManifest<Output>(file: string, root: string, build: FinishedBuild<Output>): boolean;
