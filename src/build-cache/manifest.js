// @ts-check
/**
 * Build caches keyed by their inputs, like a compiler's dependency file: a manifest records every file a build read
 * (esbuild's metafile), a fingerprint of those files, and what the build produced. The result is reused only while
 * the fingerprint of the same files, read again, is the same; anything else is a miss and the caller builds.
 *
 * The fingerprint covers:
 * - the salt: whatever else the output depends on (the tool's version, its options), compared as given;
 * - every input file's path and bytes (a missing file counts as a change);
 * - the names in every directory holding an input and in their parents below the root (dot-files and `node_modules`
 *   folders aside), so that a file added beside an input, which could change how an import resolves (`./x` to a new
 *   `x.tsx`), is a change too.
 * A check compares the files' stats first (no file read) and their bytes only when those differ, as git does with its
 * index; see statsOf for why that is safe.
 *
 * Plain JavaScript on purpose: the entry-point launcher (run-entry.js) checks its cache before anything can compile
 * TypeScript. TypeScript callers get its types from manifest.d.ts.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

/** Layout of the manifest files; a manifest of another layout is a miss. */
const MANIFEST_VERSION = 1;

/**
 * The project's cache directory, created when absent: `node_modules/.cache/mesh-platform/` under the repository root
 * (where tools keep caches by convention; `npm ci` starts it afresh).
 * @param {string} root repository root
 * @param {string} [subdirectory] a folder inside it
 */
function cacheDirectory(root, subdirectory = '.') {
  const directory = join(root, 'node_modules', '.cache', 'mesh-platform', subdirectory);
  mkdirSync(directory, { recursive: true });
  return directory;
}

/**
 * Every directory an input resolves through, below the root: the inputs' directories and their parents, except
 * `node_modules` folders themselves (which package a name resolves to shows in the package's own folder and files, and
 * their listing changes with any tool's cache folder, this one's included).
 * @param {readonly string[]} inputs paths relative to the root, `/`-separated
 */
function listedDirectories(inputs) {
  const directories = new Set();
  for (const input of inputs) {
    for (let directory = dirname(input); directory !== '.' && !directories.has(directory); directory = dirname(directory)) {
      directories.add(directory);
    }
  }
  return [...directories].filter((directory) => basename(directory) !== 'node_modules').sort();
}

/**
 * Hex SHA-256 over the salt, every input's path and bytes, and the names in every directory the inputs lie in.
 * @param {string} root repository root the inputs are relative to
 * @param {readonly string[]} inputs files the build read, relative to the root
 * @param {string} salt everything else the output depends on
 */
function inputsFingerprint(root, inputs, salt) {
  const hash = createHash('sha256').update(`${MANIFEST_VERSION}\0${salt}\0`);
  for (const input of [...inputs].sort()) {
    let contents;
    try {
      contents = readFileSync(join(root, input));
    } catch {
      hash.update(`file\0${input}\0missing\0`);
      continue;
    }
    hash.update(`file\0${input}\0${contents.length}\0`).update(contents);
  }
  for (const directory of listedDirectories(inputs)) {
    let names;
    try {
      names = readdirSync(join(root, directory)).filter((name) => !name.startsWith('.')).sort();
    } catch {
      names = ['\0missing'];
    }
    hash.update(`directory\0${directory}\0${names.join('\0')}\0`);
  }
  return hash.digest('hex');
}

/**
 * What the file system says about the inputs and their directories without reading them: device, inode, size,
 * modification and change times of each, hashed. While it is the same, so are the contents (a write changes the
 * change time, which no program can set back); it is only trusted for entries changed at least a second before it
 * was taken (see recordableStats), as git trusts its index.
 * @param {string} root @param {readonly string[]} inputs
 * @returns {{ digest: string, newestChangeMs: number }}
 */
function statsOf(root, inputs) {
  const hash = createHash('sha256');
  let newestChangeMs = 0;
  for (const path of [...[...inputs].sort(), ...listedDirectories(inputs)]) {
    const stats = statSync(join(root, path), { throwIfNoEntry: false });
    if (!stats) {
      // Stays recordable: a file appearing later makes the stats differ whenever it appears.
      hash.update(`${path}\0missing\n`);
      continue;
    }
    hash.update(`${path}\0${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}\n`);
    newestChangeMs = Math.max(newestChangeMs, stats.mtimeMs, stats.ctimeMs);
  }
  return { digest: hash.digest('hex'), newestChangeMs };
}

/** Change times within this of a moment are not trusted to tell writes before it from writes after it. */
const CLOCK_MARGIN_MS = 1000;

/**
 * The stats digest when every entry changed at least CLOCK_MARGIN_MS before `beforeMs`, else undefined (so a later
 * write in the same clock tick cannot go unnoticed).
 * @param {{ digest: string, newestChangeMs: number }} stats @param {number} beforeMs
 */
function recordableStats(stats, beforeMs) {
  return stats.newestChangeMs < beforeMs - CLOCK_MARGIN_MS ? stats.digest : undefined;
}

/**
 * Writes a file beside its final path and renames it into place, so that concurrent readers see the old contents or
 * the new, never half of them.
 * @param {string} path @param {string | Uint8Array} contents
 */
function writeFileAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, path);
}

/**
 * @param {string} file
 * @param {{ salt: string, inputs: readonly string[], fingerprint: string, stats: string, output: unknown }} manifest
 */
function writeManifestFile(file, manifest) {
  writeFileAtomically(file, JSON.stringify({ version: MANIFEST_VERSION, ...manifest }));
}

/**
 * The manifest in `file` when it is still valid: same salt, and its inputs as they were when it was written. Checked
 * by their stats first (no file read); when those differ (a file touched, a checkout back and forth), by their bytes,
 * and a manifest found valid that way is rewritten with the new stats.
 * @param {string} file the manifest's path
 * @param {string} root repository root
 * @param {string} salt everything else the output depends on
 * @returns {{ inputs: string[], fingerprint: string, output: any } | undefined} undefined on a miss
 */
function readFreshManifest(file, root, salt) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest?.version !== MANIFEST_VERSION || manifest.salt !== salt || !Array.isArray(manifest.inputs)) return undefined;
  const checkedMs = Date.now();
  const stats = statsOf(root, manifest.inputs);
  if (stats.digest === manifest.stats) return manifest;
  if (inputsFingerprint(root, manifest.inputs, salt) !== manifest.fingerprint) return undefined;
  const recordable = recordableStats(stats, checkedMs);
  if (recordable) {
    try {
      writeManifestFile(file, { ...manifest, stats: recordable });
    } catch {
      // only a speed-up for the next run
    }
  }
  return manifest;
}

/**
 * Writes a manifest for a build that has just finished, unless an input or a listed directory changed after
 * `startedMs` minus a second (so possibly while the build read it). The bytes are hashed first and the stats taken
 * after: entries unchanged since before the build started mean the bytes hashed are the bytes the build read.
 * Written atomically: concurrent readers see the old manifest or the new one.
 * @param {string} file the manifest's path
 * @param {string} root repository root
 * @param {{ salt: string, inputs: readonly string[], output: unknown, startedMs: number }} build
 * @returns {boolean} whether the manifest was written
 */
function writeManifest(file, root, { salt, inputs, output, startedMs }) {
  const sorted = [...new Set(inputs)].sort();
  const fingerprint = inputsFingerprint(root, sorted, salt);
  const stats = recordableStats(statsOf(root, sorted), startedMs);
  if (!stats) return false;
  writeManifestFile(file, { salt, inputs: sorted, fingerprint, stats, output });
  return true;
}

module.exports = { cacheDirectory, inputsFingerprint, readFreshManifest, writeFileAtomically, writeManifest };
