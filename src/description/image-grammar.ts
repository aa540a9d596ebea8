/**
 * The one grammar of image references and registry paths, Docker's distribution reference grammar
 * (github.com/distribution/reference, regexp.go), which the kubelet and `docker` parse references with:
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component { "/" path-component }
 *   domain    := domain-component { "." domain-component } [ ":" port ]
 *   path-component := [a-z0-9]+ { ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ }
 *
 * The schema (src/description), the image references (src/images) and the deploy program (src/deploy) all check with
 * it, so what the description accepts every later stage accepts too. One narrowing: host names are lower case (Docker
 * also reads upper case and IPv6 literals), so that a registry, and so each image, has one spelling.
 */

const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

/** The name of an image without its last component: a host (or a first path component), then path components. */
const REGISTRY_PATH_PATTERN = new RegExp(`^(?:${DOMAIN}|${PATH_COMPONENT})(?:/${PATH_COMPONENT})*$`);
const REFERENCE_PATTERN = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const PATH_COMPONENT_PATTERN = new RegExp(`^${PATH_COMPONENT}$`);
const DOMAIN_PATTERN = new RegExp(`^${DOMAIN}$`);
/** The digest the platform pins images by (the only algorithm registries use). */
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Longest name the grammar allows. */
const NAME_MAX_LENGTH = 255;

/** An image reference split by the grammar. */
export interface ImageReference {
  /** Registry host and path of the image, e.g. `registry.example.com/shop/order-service`. */
  readonly name: string;
  /** e.g. `sha256-3f9c0a1b2c3d4e5f`. */
  readonly tag?: string;
  /** e.g. `sha256:6d2d…` (64 hex digits). */
  readonly digest?: string;
}

/** The parts of `reference`, or undefined when it is not a reference by the grammar. */
export function parseImageReference(reference: string): ImageReference | undefined {
  const match = REFERENCE_PATTERN.exec(reference);
  if (!match || match[1].length > NAME_MAX_LENGTH) return undefined;
  const [, name, tag, digest] = match;
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * A reference the platform deploys: a registry and a name (`registry/name`), pinned by a tag other than `latest` or by
 * a sha256 digest (or both).
 */
export function isPinnedImage(reference: string): boolean {
  const parsed = parseImageReference(reference);
  if (!parsed || !parsed.name.includes('/') || parsed.tag === 'latest') return false;
  return parsed.tag !== undefined || isSha256(parsed.digest);
}

/** A reference (`name[:tag]@sha256:<digest>`) whose digest says exactly which bytes run. */
export function isDigestPinned(reference: string): boolean {
  return isSha256(parseImageReference(reference)?.digest);
}

const isSha256 = (digest: string | undefined): boolean => digest !== undefined && SHA256_DIGEST.test(digest);

/** How a registry path is written, for messages. */
export const REGISTRY_PATH_FORM = 'a lower-case registry path such as "registry.example.com/shop" or "localhost:5000/shop" (no scheme, no tag)';

/**
 * Whether `path` is a registry path, `host[:port][/path]`, under which images are pushed: `<path>/<image>` is a name of
 * the grammar.
 */
export function isRegistryPath(path: string): boolean {
  return path.length < NAME_MAX_LENGTH && REGISTRY_PATH_PATTERN.test(path);
}

/** What is wrong with a registry path, in words (undefined when it is one). */
export function registryPathProblem(path: string): string | undefined {
  if (isRegistryPath(path)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return 'a registry path has no scheme';
  if (path.length >= NAME_MAX_LENGTH) return `a registry path has fewer than ${NAME_MAX_LENGTH} characters`;
  const [first, ...rest] = path.split('/');
  if (!DOMAIN_PATTERN.test(first) && !PATH_COMPONENT_PATTERN.test(first)) {
    if (first === '') return 'a registry path starts with its host';
    return `"${first}" is not a registry host (lower-case DNS labels separated by ".", an optional ":<port>")`;
  }
  const bad = rest.find((component) => !PATH_COMPONENT_PATTERN.test(component)) ?? '';
  if (bad === '') return 'a registry path has no empty component (no "//", no "/" at the end)';
  if (bad.includes(':')) return `"${bad}" carries a tag; a registry path has none`;
  return `"${bad}" is not a path component (lower-case letters and digits, separated by ".", "_", "__" or "-")`;
}
