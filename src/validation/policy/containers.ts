import type { Context } from '../context';
import { containersOf, podTemplateOf } from '../inventory';
import { at, record, str } from '../shapes';

/** Workloads that run to completion: they serve no traffic and their exit code is their health, so they need no probes. */
const RUN_TO_COMPLETION = ['Job', 'CronJob'];

/**
 * Container hygiene: pinned images, resource requests and limits (not for ephemeral containers, which may not set
 * them), probes (not for init and ephemeral containers, nor for Jobs and CronJobs), read-only root filesystem.
 */
export function checkContainers(context: Context): void {
  for (const entry of context.inventory.entries) {
    const template = podTemplateOf(entry);
    if (!template) continue;
    const probed = !RUN_TO_COMPLETION.includes(entry.kind);
    for (const { container, path, regular, ephemeral } of containersOf(template)) {
      const name = str(container.name) ?? '';
      const image = str(container.image);
      if (image !== undefined && !isPinned(image)) {
        context.report(entry, 'policy-image-tag', at(path, 'image'), `image "${image}" of container "${name}" ${tagOf(image) === 'latest' ? 'uses the tag latest' : 'has no tag or digest'}`);
      }
      const resources = record(container.resources);
      for (const [level, rule] of [['requests', 'policy-resource-requests'], ['limits', 'policy-resource-limits']] as const) {
        if (ephemeral) break;
        const missing = ['cpu', 'memory'].filter((resource) => record(resources[level])[resource] === undefined);
        if (missing.length > 0) {
          context.report(entry, rule, at(path, 'resources', level), `container "${name}" sets no ${level === 'requests' ? 'request' : 'limit'} for ${missing.join(' and ')}`);
        }
      }
      if (regular && probed && container.readinessProbe === undefined) {
        context.report(entry, 'policy-readiness-probe', at(path, 'readinessProbe'), `container "${name}" has no readiness probe`);
      }
      if (regular && probed && container.livenessProbe === undefined) {
        context.report(entry, 'policy-liveness-probe', at(path, 'livenessProbe'), `container "${name}" has no liveness probe`);
      }
      if (record(container.securityContext).readOnlyRootFilesystem !== true) {
        context.report(entry, 'policy-read-only-root-fs', at(path, 'securityContext', 'readOnlyRootFilesystem'),
          `container "${name}" has a writable root filesystem`);
      }
    }
  }
}

/** The tag of an image reference (`registry:5000/app:1.2` has tag `1.2`; the registry port is not a tag). */
function tagOf(image: string): string | undefined {
  const name = image.split('@')[0];
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : name.slice(colon + 1);
}

/** A digest pins an image; otherwise a tag other than `latest` is needed. */
function isPinned(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const tag = tagOf(image);
  return tag !== undefined && tag !== 'latest';
}
