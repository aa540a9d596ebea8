import { createHash } from 'node:crypto';
import { buildSync, type BuildOptions, type Metafile } from 'esbuild';
import { REPOSITORY_ROOT, serviceEntry } from './services';

/** A service bundled into one CommonJS file: what the image runs as `/app/main.js`. */
export interface ServiceBundle {
  /** The service's name, e.g. `order-service`. */
  readonly service: string;
  /** The bundle's bytes, exactly as the image stores them. */
  readonly contents: Uint8Array;
  /** Hex SHA-256 of `contents`; the image tag is derived from it. */
  readonly sha256: string;
  /** esbuild's record of every input file (used to keep the Docker build context to what the bundle reads). */
  readonly metafile: Metafile;
}

/**
 * The esbuild options of a service's bundle. The host (tag computation) and the image's build stage both use these,
 * from the same working directory layout, so both produce the same bytes.
 */
export function bundleOptions(service: string, root: string = REPOSITORY_ROOT): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [serviceEntry(service)],
    outfile: 'main.js',
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
 * Bundles one service in process (esbuild, nothing written to disk).
 * @throws Error naming the service and esbuild's first errors when the entry does not bundle.
 */
export function bundleService(service: string, root: string = REPOSITORY_ROOT): ServiceBundle {
  let result;
  try {
    result = buildSync(bundleOptions(service, root));
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const details = errors?.slice(0, 5).map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text));
    const reason = details?.join('; ') ?? String(error);
    throw new Error(`cannot bundle ${service} (${serviceEntry(service)}): ${reason}`, { cause: error });
  }
  const output = result.outputFiles?.[0];
  if (!output || !result.metafile) throw new Error(`cannot bundle ${service}: esbuild returned no output`);
  return { service, contents: output.contents, sha256: sha256(output.contents), metafile: result.metafile };
}
