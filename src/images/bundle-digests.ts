/**
 * The SHA-256 of each service's bundle, which its image tag derives from, without bundling while nothing the bundles
 * were built from has changed. The last bundling's digests are cached (`node_modules/.cache/mesh-platform/`) with the
 * files esbuild read for them (the services' and the kit's sources, the packages' files) and reused only while those
 * files, the names beside them and what decides how they resolve and transpile are byte for byte the same
 * (src/build-cache/manifest.js). Otherwise the services are bundled, exactly as before, and the cache rewritten. So a
 * tag is still the hash of the bundle the image runs; the cache only saves recomputing it.
 */
import { join } from 'node:path';
import { version as esbuildVersion } from 'esbuild';
import { cacheDirectory, readFreshManifest, writeManifest } from '../build-cache/manifest';
import { bundleOptions, bundleServices } from './bundle';
import { packageDirectory } from './build-context';
import { REPOSITORY_ROOT } from './services';

/**
 * Files a bundle depends on besides those esbuild lists in its metafile: how packages are pinned and resolved, how
 * TypeScript is transpiled, and the code that bundles and hashes.
 */
const BUILD_INPUTS = ['package-lock.json', 'package.json', 'tsconfig.json', 'src/images/bundle.ts'];

/** Hex SHA-256 of each service's bundle, by service name. */
export type BundleDigests = Readonly<Record<string, string>>;

/** The digests, and whether they came from the cache (false: the services were bundled). */
export interface BundleDigestsResult {
  readonly digests: BundleDigests;
  readonly cached: boolean;
}

/**
 * Hex SHA-256 of each service's bundle: from the cache while every input is unchanged, else by bundling them (one
 * esbuild build) and caching the result.
 * @throws Error from {@link bundleServices} when a service does not bundle.
 */
export function bundleDigests(services: readonly string[], root: string = REPOSITORY_ROOT): BundleDigestsResult {
  const salt = JSON.stringify({ esbuild: esbuildVersion, options: bundleOptions(services, root) });
  const manifestFile = join(cacheDirectory(root), 'image-bundle-digests.json');
  const fresh = readFreshManifest<BundleDigests>(manifestFile, root, salt);
  if (fresh) return { digests: fresh.output, cached: true };
  const startedMs = Date.now();
  const bundles = bundleServices(services, root);
  const digests = Object.fromEntries(bundles.map((bundle) => [bundle.service, bundle.sha256]));
  const bundled = new Set(bundles.flatMap((bundle) => bundle.inputs));
  const packageManifests = [...bundled].flatMap((input) => packageDirectory(input) ?? []).map((directory) => `${directory}/package.json`);
  const inputs = [...new Set([...bundled, ...packageManifests, ...BUILD_INPUTS])];
  writeManifest(manifestFile, root, { salt, inputs, output: digests, startedMs });
  return { digests, cached: false };
}
