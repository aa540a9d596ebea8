/** Types of v8-flags.js (plain JavaScript so that the entry-point launcher can run it before any TypeScript). */

/** The V8 flags the launcher sets in its own process. */
export const RUNTIME_V8_FLAGS: readonly string[];

/** The global the flags are recorded under, space-separated. */
export const RUNTIME_V8_FLAGS_KEY: unique symbol;

/** Sets {@link RUNTIME_V8_FLAGS} in this process and records them; call before compiling anything whose code cache is kept. */
export function applyRuntimeV8Flags(): void;
