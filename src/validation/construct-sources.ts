import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import type { LoadedObjects } from './load';

/**
 * The objects a cdk8s construct tree synthesizes, each with its construct path, ready for validateObjects in process:
 * `const { objects, sources } = constructSources(chart); validateObjects(objects, { sources })`.
 */
export function constructSources(scope: IConstruct): LoadedObjects {
  const loaded: LoadedObjects = { objects: [], sources: [] };
  for (const node of scope.node.findAll()) {
    if (!(node instanceof ApiObject)) continue;
    loaded.objects.push(node.toJson());
    loaded.sources.push({ constructPath: node.node.path });
  }
  return loaded;
}
