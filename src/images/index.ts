/**
 * The one place image references come from. The synthesized manifests and the Pulumi program call
 * `imageReferences(registry)`; `npm run images` builds images under exactly these references.
 *
 * Tags are content-addressed: `sha256-<first 16 hex digits of the SHA-256 of the service's bundle>`, the single file the
 * image runs. The bundle is computed in process (esbuild, write: false), so no Docker engine is needed to synthesize;
 * its digest is cached while none of the files it is built from changes (bundle-digests.ts), so synthesis bundles
 * only after a change. The image's build stage recomputes the bundle from the same inputs and fails unless the bytes
 * hash the same.
 */
import { isRegistryPath, REGISTRY_PATH_FORM } from '../description/image-grammar';
import { bundleServices, type ServiceBundle } from './bundle';
import { bundleDigests, type BundleDigests } from './bundle-digests';
import { serviceNames } from './services';

export { serviceNames } from './services';
export type { ServiceBundle } from './bundle';

/** Hex digits of the bundle's SHA-256 kept in a tag: 64 bits, so distinct bundles do not collide in practice. */
const TAG_DIGEST_LENGTH = 16;

/** Bundles per service, computed once per process: synthesizing three environments bundles once. */
const bundleCache = new Map<string, ServiceBundle>();

/** Bundle digests per service, read (or computed) once per process. */
let digestCache: BundleDigests | undefined;

/** Every service's name, or an error naming the expected entry when `service` is not one. */
function knownServices(service: string): string[] {
  const names = serviceNames();
  if (!names.includes(service)) {
    throw new Error(`no service "${service}": expected services/${service}/src/main.ts (services: ${names.join(', ')})`);
  }
  return names;
}

/** The bundle of a service. The first call bundles every service in one esbuild build, memoized for the process. */
export function serviceBundle(service: string): ServiceBundle {
  if (!bundleCache.has(service)) {
    for (const bundle of bundleServices(knownServices(service))) bundleCache.set(bundle.service, bundle);
  }
  return bundleCache.get(service) as ServiceBundle;
}

/**
 * Hex SHA-256 of a service's bundle, what its tag derives from: the same as `serviceBundle(service).sha256`, taken
 * from the cache while no input of the bundles changed (else every service is bundled once and the cache updated).
 */
export function bundleDigest(service: string): string {
  const names = knownServices(service);
  if (!digestCache?.[service]) digestCache = bundleDigests(names).digests;
  return digestCache[service];
}

/** The content-addressed tag of a bundle, e.g. `sha256-3f9c0a1b2c3d4e5f`. */
export function imageTag(bundleSha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(bundleSha256)) throw new Error(`image tag: "${bundleSha256}" is not a hex SHA-256 digest`);
  return `sha256-${bundleSha256.slice(0, TAG_DIGEST_LENGTH)}`;
}

/**
 * Checks a registry path (the image grammar's, src/description/image-grammar.ts) and returns it without a trailing slash.
 * @throws Error naming the registry and the expected form.
 */
export function normalizeRegistry(registry: string): string {
  const normalized = registry.replace(/\/+$/, '');
  if (!isRegistryPath(normalized)) throw new Error(`image registry "${registry}": expected ${REGISTRY_PATH_FORM}`);
  return normalized;
}

/** The reference of one service's image: `<registry>/<service>:<tag>`. */
export function imageReference(registry: string, service: string): string {
  return `${normalizeRegistry(registry)}/${service}:${imageTag(bundleDigest(service))}`;
}

/**
 * Image reference per service (every `services/<name>/src/main.ts`), e.g.
 * `{ 'user-service': 'registry.example.com/shop/user-service:sha256-3f9c0a1b2c3d4e5f', ... }`. Never `:latest`.
 * @param registry registry path the images are pushed to, e.g. `registry.example.com/shop`.
 * @throws Error when the registry is malformed or a service does not bundle.
 */
export function imageReferences(registry: string): Readonly<Record<string, string>> {
  normalizeRegistry(registry);
  return Object.fromEntries(serviceNames().map((service) => [service, imageReference(registry, service)]));
}
