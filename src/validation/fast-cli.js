// Entry point of `npm run validate`: runs ./cli.ts from a bundle precompiled with esbuild instead of transpiling every
// file with tsx at start-up (about 0.3 s of CPU per run). The bundle is kept in node_modules/.cache/validate-cli/ with
// the hash of every source file it was built from, and rebuilt (written atomically) when any of them changes. npm
// packages are not bundled (required from node_modules as usual). When the bundle cannot be built, tsx runs ./cli.ts
// as before (and reports a syntax error as it always did).
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '../..');
const ENTRY = join(__dirname, 'cli.ts');
const CACHE = join(ROOT, 'node_modules/.cache/validate-cli');
const BUNDLE = join(CACHE, 'cli.js');
const MANIFEST = join(CACHE, 'inputs.json');

/** The hash of this file and the files a bundle is built from (paths relative to ROOT); undefined if one is gone. */
function hashOf(inputs) {
  const hash = createHash('sha256');
  for (const file of [__filename, ...inputs.map((input) => join(ROOT, input))]) {
    try {
      hash.update(file).update(readFileSync(file));
    } catch {
      return undefined;
    }
  }
  return hash.digest('hex');
}

/** Whether the kept bundle was built from the files as they are now. */
function bundleIsCurrent() {
  try {
    const { inputs, hash } = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    return hash === hashOf(inputs);
  } catch {
    return false;
  }
}

/** Writes `text` to `file` through a temporary file, so that a concurrent run never reads half of it. */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Each module's __dirname and __filename stay its source file's, as under tsx (the schemas are found from them). */
const sourcePaths = {
  name: 'source-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, ({ path }) => ({
      loader: 'ts',
      contents: readFileSync(path, 'utf8')
        .replace(/\b__dirname\b/g, JSON.stringify(dirname(path)))
        .replace(/\b__filename\b/g, JSON.stringify(path)),
    }));
  },
};

/** Builds and keeps the bundle; false when it cannot be built. */
async function buildBundle() {
  try {
    const esbuild = require('esbuild');
    const result = await esbuild.build({
      entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'cjs', target: `node${process.versions.node}`,
      packages: 'external', absWorkingDir: ROOT, write: false, metafile: true, outfile: BUNDLE, logLevel: 'silent',
      plugins: [sourcePaths],
    });
    esbuild.stop();
    const inputs = Object.keys(result.metafile.inputs);
    mkdirSync(CACHE, { recursive: true });
    writeAtomically(BUNDLE, result.outputFiles[0].text);
    writeAtomically(MANIFEST, JSON.stringify({ inputs, hash: hashOf(inputs) }));
    return true;
  } catch {
    return false;
  }
}

async function cli() {
  const bundled = bundleIsCurrent() || (await buildBundle());
  // cli.ts runs as the program when process.argv[1] names it, as when Node.js runs it.
  process.argv[1] = ENTRY;
  if (bundled) require(BUNDLE);
  else require('tsx/cjs/api').require('./cli.ts', __filename);
}

cli().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 2;
});
