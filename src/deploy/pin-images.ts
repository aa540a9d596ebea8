import * as pulumi from '@pulumi/pulumi';
import { isDigestPinned } from '../description/image-grammar';
import { describeObject, type KubernetesObject } from './kubernetes-object';

/** A container of a pod template, where it sits, and its image. */
export interface ContainerImage {
  /** `Deployment shop/order-service-v1 container order-service`. */
  readonly where: string;
  readonly image: string;
}

/** Every container image of an object's pod template (`spec.template.spec`) or pod (`spec`), init containers included. */
export function containerImages(object: KubernetesObject): ContainerImage[] {
  const spec = object.spec as { template?: { spec?: PodSpec } } & PodSpec | undefined;
  const pod = object.kind === 'Pod' ? spec : spec?.template?.spec;
  const containers = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
  return containers.map((c) => ({ where: `${describeObject(object)} container ${c.name}`, image: c.image ?? '' }));
}

interface PodSpec {
  readonly containers?: readonly { name: string; image?: string }[];
  readonly initContainers?: readonly { name: string; image?: string }[];
}

/**
 * Replaces each built image's tag reference in the objects by its digest-pinned reference (a Pulumi output), leaving
 * everything else as the chart synthesized it. The chart is synthesized with the tag references, which are known
 * before any build (content-addressed), so every object and name is known at preview; only the digest waits for the push.
 * @throws when a container image is neither built by this program nor pinned to a digest: nothing runs unpinned.
 */
export function pinImages(
  objects: readonly KubernetesObject[],
  pinned: Readonly<Record<string, pulumi.Input<string>>>,
): KubernetesObject[] {
  const unpinned = objects
    .flatMap(containerImages)
    .filter(({ image }) => !Object.hasOwn(pinned, image) && !isDigestPinned(image))
    .map(({ where, image }) => `${where}: image "${image}"`);
  if (unpinned.length > 0) {
    throw new Error(
      `these containers use images that this program neither builds nor pins to a digest:\n  - ${unpinned.join('\n  - ')}\n` +
        'Build them with the platform (src/images) or reference them as <repository>@sha256:<digest>.',
    );
  }
  return objects.map((object) => replaceStrings(object, pinned) as KubernetesObject);
}

/** Deep copy of `value` in which every string equal to a key of `replacements` becomes its replacement. */
function replaceStrings(value: unknown, replacements: Readonly<Record<string, pulumi.Input<string>>>): unknown {
  if (typeof value === 'string') return Object.hasOwn(replacements, value) ? replacements[value] : value;
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, replacements));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceStrings(item, replacements)]));
  }
  return value;
}
