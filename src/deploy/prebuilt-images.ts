import { isDigestPinned, parseImageReference } from '../description/image-grammar';

/** Stack config `images`: per service, an image that is already built and pushed, `<repo>:<tag>@sha256:<digest>`. */
export type PrebuiltImages = Readonly<Record<string, string>>;

/** The tag of a reference: `r.io/a/order-service:sha256-6d2d…@sha256:…` → `sha256-6d2d…`. */
const tagOf = (reference: string): string | undefined => parseImageReference(reference)?.tag;

/** A problem with one entry of stack config `images`. */
export interface PrebuiltImageProblem {
  /** The config key, `images.<service>`. */
  readonly key: string;
  readonly message: string;
}

/**
 * Checks stack config `images` against the code being deployed and returns the problems, one per entry:
 * every key is a service, every value is pinned to a digest, and its tag is the content-addressed tag of the
 * service's code now (so the manifests never run an image built from other code).
 * @param expected the references of the code now, `imageReferences(registry)`.
 */
export function prebuiltImageProblems(images: PrebuiltImages, expected: Readonly<Record<string, string>>): PrebuiltImageProblem[] {
  const problems: PrebuiltImageProblem[] = [];
  for (const [service, reference] of Object.entries(images)) {
    const key = `images.${service}`;
    const wanted = expected[service];
    if (wanted === undefined) {
      problems.push({ key, message: `not a service (the services are ${Object.keys(expected).join(', ')})` });
    } else if (typeof reference !== 'string' || !isDigestPinned(reference) || tagOf(reference) === undefined) {
      problems.push({ key, message: `expected <repository>:<tag>@sha256:<digest> (got ${JSON.stringify(reference)})` });
    } else if (tagOf(reference) !== tagOf(wanted)) {
      problems.push({ key, message: `tag ${tagOf(reference)} was built from other code than this checkout's (${tagOf(wanted)})` });
    }
  }
  return problems;
}
