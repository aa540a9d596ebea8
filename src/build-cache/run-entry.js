// @ts-check
/**
 * Runs a TypeScript entry point as plain JavaScript: `node src/build-cache/run-entry.js src/main.ts [arguments...]`
 * (`npm run synth`). The entry and every module of the project it imports are bundled by esbuild (transpile only, as
 * tsx does; packages stay external and load from node_modules as usual, but for the few in BUNDLED_PACKAGES) into
 * `node_modules/.cache/mesh-platform/entries/`, and the bundle is run from there. The bundle is reused only while
 * every file it was built from is unchanged (manifest.js: their bytes, the names beside them, esbuild's version, the
 * options); otherwise this run builds it first (about a second), then runs it. So a cold run reads one file instead of
 * resolving and transpiling hundreds through tsx's loader, and a stale bundle is never run. The bundle is compiled
 * with V8's code cache of it, kept beside it (runWithCodeCache), under the V8 flags every run of the launcher sets
 * first (v8-flags.js: a heap bounded to twice what is live).
 *
 * Plain JavaScript because it runs before anything can compile TypeScript. Stack traces name the bundle's lines; run
 * with `NODE_OPTIONS=--enable-source-maps` to see the TypeScript's, or with `MESH_PLATFORM_ENTRY_CACHE=off` to run
 * the entry through tsx as before. When the bundle cannot be built (esbuild missing, a syntax error), the entry runs
 * through tsx, which reports the error as it always did.
 */
const { createHash } = require('node:crypto');
const { readdirSync, readFileSync, rmSync, statSync } = require('node:fs');
const { dirname, join, relative, resolve, sep } = require('node:path');
const { cacheDirectory, readFreshManifest, writeFileAtomically, writeManifest } = require('./manifest');
const { applyRuntimeV8Flags } = require('./v8-flags');

/** Repository root: sources, `tsconfig.json` and `node_modules` are found from here. */
const ROOT = resolve(__dirname, '..', '..');

/** Files every bundle depends on besides the modules it imports: how they are transpiled, and this launcher. */
const BUILD_INPUTS = ['tsconfig.json', 'package.json', 'src/build-cache/run-entry.js', 'src/build-cache/manifest.js'];

/**
 * Packages bundled into the entry instead of loaded from node_modules: dependency-free, pure JavaScript with no file
 * of their own to read, and made of many small modules (Grafana's SDK of hundreds) whose resolving and reading would
 * cost every run more than the code itself: `yaml` and `@marcbachmann/cel-js` are a tenth of a cold
 * `npm run validate`, and cel-js ships only ES modules, which Node.js 20 loads through its slower ESM loader.
 */
const BUNDLED_PACKAGES = ['yaml', '@marcbachmann/cel-js', '@grafana/grafana-foundation-sdk'];

/**
 * The package a bare import names: `yaml` of `yaml/util`, `@scope/name` of `@scope/name/sub`.
 * @param {string} specifier
 */
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/**
 * Every package external (loaded from node_modules at run time) but BUNDLED_PACKAGES.
 * @type {import('esbuild').Plugin}
 */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    // A bare import: neither relative nor absolute.
    build.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED_PACKAGES.includes(packageOf(args.path)) ? undefined : { path: args.path, external: true }));
  },
};

/** Bundles of an entry older than this and no longer in its manifest are deleted when a new one is written. */
const PRUNE_AFTER_MS = 10 * 60 * 1000;

/**
 * esbuild's options for an entry (plugins aside). Node.js 20 CommonJS, as tsx runs the sources; names kept, so stack
 * traces and `constructor.name` read as in the sources.
 * @param {string} entry path relative to the root
 * @returns {import('esbuild').BuildOptions}
 */
function bundleOptions(entry) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    keepNames: true,
    sourcemap: 'external',
    logLevel: 'silent',
  };
}

/**
 * Each bundled source file keeps its own `__dirname` and `__filename` (the bundle lives elsewhere): a plugin that
 * declares them at the top of every project file that mentions them.
 * @type {import('esbuild').Plugin}
 */
const sourceLocations = {
  name: 'source-locations',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (args.path.split(sep).includes('node_modules')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      const header = `const __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
      // A shebang must stay the first line (a bin's entry has one).
      const [, shebang = '', body] = /^(#![^\n]*\n)?([\s\S]*)$/.exec(source) ?? [];
      return { contents: `${shebang}${header}${body}`, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};

/**
 * Bundles the entry into the cache directory and records its inputs; returns the bundle's path.
 * @param {{ entry: string, name: string, directory: string, manifestFile: string, salt: string }} target
 */
async function buildBundle({ entry, name, directory, manifestFile, salt }) {
  const esbuild = require('esbuild');
  const startedMs = Date.now();
  const result = await esbuild.build({
    ...bundleOptions(entry),
    outfile: join(directory, `${name}.js`),
    write: false,
    metafile: true,
    plugins: [sourceLocations, externalPackages],
  });
  esbuild.stop();
  const code = result.outputFiles?.find((file) => file.path.endsWith('.js'))?.contents;
  const map = result.outputFiles?.find((file) => file.path.endsWith('.js.map'))?.contents;
  if (!code || !map || !result.metafile) throw new Error(`esbuild returned no bundle for ${entry}`);
  const bundle = `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
  writeFileAtomically(join(directory, `${bundle}.map`), map);
  writeFileAtomically(join(directory, bundle), Buffer.concat([code, Buffer.from(`//# sourceMappingURL=${bundle}.map\n`)]));
  const inputs = [...Object.keys(result.metafile.inputs), ...BUILD_INPUTS];
  writeManifest(manifestFile, ROOT, { salt, inputs, output: { bundle }, startedMs });
  pruneBundles(directory, name, bundle);
  return join(directory, bundle);
}

/**
 * Deletes this entry's earlier bundles (and their maps) that are old enough that no process can still be about to
 * load them.
 * @param {string} directory @param {string} name @param {string} current
 */
function pruneBundles(directory, name, current) {
  const ownBundle = new RegExp(`^${name}-[0-9a-f]{16}\\.js(\\.map|\\.v8)?$`);
  for (const file of readdirSync(directory)) {
    if (!ownBundle.test(file) || file.startsWith(current)) continue;
    const path = join(directory, file);
    const modifiedMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - modifiedMs > PRUNE_AFTER_MS) rmSync(path, { force: true });
  }
}

/**
 * Runs the entry as the program, `process.argv` being `[node, <entry>, ...arguments]` as when Node.js runs it: from
 * a bundle, or through tsx's scoped require (no bundle).
 * @param {string} entryPath @param {readonly string[]} args @param {string} [bundle]
 */
function runAsProgram(entryPath, args, bundle) {
  process.argv = [process.argv[0], entryPath, ...args];
  if (!bundle) require('tsx/cjs/api').require(entryPath, __filename);
  // Node.js maps stack traces through the source map only for what its module loader compiled.
  else if (process.sourceMapsEnabled) require(bundle);
  else runWithCodeCache(bundle);
}

/**
 * Runs a bundle as the CommonJS module `require` would make of it, compiled with V8's code cache of it
 * (`<bundle>.v8`, written at the end of the first run that has none or whose cache V8 rejected: another Node.js
 * version, other V8 flags), which spares parsing and compiling the bundle and the functions that run used.
 * @param {string} bundle
 */
function runWithCodeCache(bundle) {
  const { Script } = require('node:vm');
  const Module = require('node:module');
  const codeCacheFile = `${bundle}.v8`;
  let cachedData;
  try {
    cachedData = readFileSync(codeCacheFile);
  } catch {
    cachedData = undefined;
  }
  // The wrapper Node.js puts around a CommonJS module; a bin's shebang line is blanked (it is no JavaScript).
  const code = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: bundle, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        writeFileAtomically(codeCacheFile, script.createCachedData());
      } catch {
        // A cache that cannot be written costs the next run the compilation, nothing else.
      }
    });
  }
  const module = new Module(bundle, require.main);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(dirname(bundle));
  Module._cache[bundle] = module;
  script.runInThisContext()(module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;
}

/** @param {string} entryPath @param {readonly string[]} args */
function main(entryPath, args) {
  applyRuntimeV8Flags();
  if (process.env.MESH_PLATFORM_ENTRY_CACHE === 'off') return runAsProgram(entryPath, args);
  const entry = relative(ROOT, entryPath).split(sep).join('/');
  const name = entry.replace(/\.[cm]?ts$/, '').replace(/[^A-Za-z0-9]+/g, '-');
  let target;
  try {
    const esbuildVersion = JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
    const directory = cacheDirectory(ROOT, 'entries');
    const salt = JSON.stringify({ esbuild: esbuildVersion, options: bundleOptions(entry), bundled: BUNDLED_PACKAGES });
    target = { entry, name, directory, manifestFile: join(directory, `${name}.json`), salt };
  } catch {
    return runAsProgram(entryPath, args);
  }
  const fresh = readFreshManifest(target.manifestFile, ROOT, target.salt);
  const cached = fresh && join(target.directory, /** @type {{ bundle: string }} */ (fresh.output).bundle);
  if (cached && statSync(cached, { throwIfNoEntry: false })) return runAsProgram(entryPath, args, cached);
  // The program runs outside the promise (setImmediate), so its errors are ordinary uncaught exceptions.
  buildBundle(target).then(
    (bundle) => setImmediate(() => runAsProgram(entryPath, args, bundle)),
    () => setImmediate(() => runAsProgram(entryPath, args)),
  );
}

const [entryArgument, ...entryArgs] = process.argv.slice(2);
if (!entryArgument) {
  console.error('usage: node src/build-cache/run-entry.js <entry.ts> [arguments...]');
  process.exitCode = 2;
} else {
  main(resolve(entryArgument), entryArgs);
}
