// @ts-check
/**
 * The V8 flags the launcher (run-entry.js) sets in its own process, before it compiles anything.
 *
 * `--heap-growing-percent=100`: V8 lets the heap grow to twice what is live before its next full collection, instead
 * of up to four times when its collections are fast. At 1,000 services `npm run synth` holds about 200 MB of one
 * environment at a time, and peaked at 720 to 950 MiB without the flag, at 600 to 630 MiB with it, in the same time
 * (docs/benchmarks.md, "Scale"). Set at run time because V8 takes it only on node's command line, not from
 * `NODE_OPTIONS`, and every `npm run` script would have to repeat it.
 *
 * V8 rejects a code cache made under other flags. The launcher's own code caches are made only by its processes; the
 * validator's cache directory is shared with processes that set no flags (jest, `cdk8s synth`, Pulumi's host), so the
 * flags are recorded under a global that src/validation/schema/validator-cache.ts keys its entries by.
 */
const { setFlagsFromString } = require('node:v8');

/** The flags the launcher sets. */
const RUNTIME_V8_FLAGS = ['--heap-growing-percent=100'];

/** The global they are recorded under, space-separated (read by src/validation/schema/validator-cache.ts). */
const RUNTIME_V8_FLAGS_KEY = Symbol.for('mesh-platform.runtime-v8-flags');

/** Sets {@link RUNTIME_V8_FLAGS} in this process and records them; call before compiling anything whose code cache is kept. */
function applyRuntimeV8Flags() {
  for (const flag of RUNTIME_V8_FLAGS) setFlagsFromString(flag);
  /** @type {Record<symbol, unknown>} */ (globalThis)[RUNTIME_V8_FLAGS_KEY] = RUNTIME_V8_FLAGS.join(' ');
}

module.exports = { RUNTIME_V8_FLAGS, RUNTIME_V8_FLAGS_KEY, applyRuntimeV8Flags };
