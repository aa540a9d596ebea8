/** How each service of the local environment keeps its data, in the words the summary prints. */
import type { PlatformSpec, ServiceSpec } from '../spec/types';

/**
 * `memory` for a service without a database; for one whose database the environment configures but the local run
 * does not provide, `memory (dev configures postgres; pass --database to use it)`; otherwise `postgres (<database>)`.
 */
export function storageLabel(spec: PlatformSpec, service: ServiceSpec, provided: boolean): string {
  if (!service.database) return 'memory';
  if (provided) return `postgres (${service.database.name})`;
  return `memory (${spec.environment} configures ${service.database.engine}; pass --database to use it)`;
}
