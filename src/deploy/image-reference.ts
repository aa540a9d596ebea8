import { isDigestPinned, parseImageReference } from '../description/image-grammar';

/**
 * Pins a content-addressed tag reference to the digest the registry returned for the push:
 * `ghcr.io/acme/order-service:3f2a…` + `ghcr.io/acme/order-service@sha256:…` → `ghcr.io/acme/order-service:3f2a…@sha256:…`.
 * Keeping the tag makes the reference readable; the digest makes the kubelet pull exactly the pushed bytes.
 * @throws when the repo digest carries no sha256 digest (the image was not pushed).
 */
export function pinnedReference(reference: string, repoDigest: string): string {
  const digest = isDigestPinned(repoDigest) ? parseImageReference(repoDigest)?.digest : undefined;
  if (!digest) {
    throw new Error(`image ${reference}: the push returned no registry digest (got "${repoDigest}"); was the push skipped or did it fail?`);
  }
  if (!isTagged(reference)) {
    throw new Error(`image ${reference}: expected a content-addressed tag (<repository>:<tag>), got none`);
  }
  return `${reference}@${digest}`;
}

/** True when the reference names a tag other than `latest`. */
export function isTagged(reference: string): boolean {
  const tag = parseImageReference(reference)?.tag;
  return tag !== undefined && tag !== 'latest';
}

/** The registry host of an image repository or registry path: `ghcr.io/acme/x` → `ghcr.io`. */
export function registryHost(registryOrReference: string): string {
  return registryOrReference.split('/')[0];
}
