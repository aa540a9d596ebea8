import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';
import { REPOSITORY_ROOT, serviceEntry } from './services';

/** A service bundled into one CommonJS file: what the image runs as `/app/main.js`. */
export interface ServiceBundle {
  /** The service's name, e.g. `order-service`. */
  readonly service: string;
  /** The bundle's bytes, exactly as the image stores them. */
  readonly contents: Uint8Array;
  /** Hex SHA-256 of `contents`; the image tag is derived from it. */
  readonly sha256: string;
  /** Every file the bundle was made from, relative to the repository root (from esbuild's metafile). */
  readonly inputs: readonly string[];
}

/** Directory the bundles would be written to; with `write: false` it only names the outputs. */
const OUT_DIRECTORY = 'out';

/**
 * The esbuild options that bundle the given services, one output per service (no code splitting, so each output is
 * the same as bundling that service alone). The host (tag computation) and the image's build stage both bundle every
 * service with these options, so both produce the same bytes; one build for all is about 1.6x faster than one each
 * (docs/images.md).
 */
export function bundleOptions(services: readonly string[], root: string = REPOSITORY_ROOT): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: Object.fromEntries(services.map((service) => [service, serviceEntry(service)])),
    outdir: OUT_DIRECTORY,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Names stay readable in stack traces and logs; size is dominated by the Node.js runtime anyway.
    minify: false,
    keepNames: true,
    legalComments: 'eof',
    metafile: true,
    write: false,
    logLevel: 'silent',
  };
}

/** Hex SHA-256 of some bytes. */
export function sha256(contents: Uint8Array): string {
  return createHash('sha256').update(contents).digest('hex');
}

/**
 * Bundles services in process (esbuild, nothing written to disk).
 * @throws Error naming the services and esbuild's first errors when an entry does not bundle.
 */
export function bundleServices(services: readonly string[], root: string = REPOSITORY_ROOT): ServiceBundle[] {
  let result;
  try {
    result = buildSync(bundleOptions(services, root));
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const details = errors?.slice(0, 5).map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text));
    const reason = details?.join('; ') ?? String(error);
    throw new Error(`cannot bundle ${services.join(', ')}: ${reason}`, { cause: error });
  }
  return services.map((service) => {
    const relativePath = `${OUT_DIRECTORY}/${service}.js`;
    const output = result.outputFiles?.find((file) => file.path === join(root, relativePath));
    const inputs = result.metafile?.outputs[relativePath]?.inputs;
    if (!output || !inputs) throw new Error(`cannot bundle ${service}: esbuild returned no output for it`);
    return { service, contents: output.contents, sha256: sha256(output.contents), inputs: Object.keys(inputs) };
  });
}
