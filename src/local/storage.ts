/** How each service of the local environment keeps its data, in the words the summary prints. */
import type { PlatformSpec, ServiceSpec } from '../description/types';

/**
 * `memory` for a service without a database; for one whose database the environment configures but the local run
 * does not provide, `memory (dev configures postgres; pass --database to use it)` (or, for an external server, that it
 * is not run locally); otherwise `postgres (<database>)`.
 */
export function storageLabel(spec: PlatformSpec, service: ServiceSpec, provided: boolean): string {
  if (!service.database) return 'memory';
  if (provided) return `postgres (${service.database.name})`;
  if (spec.postgres?.location === 'external') return `memory (${spec.environment} uses an external ${service.database.engine} server, not run locally)`;
  return `memory (${spec.environment} configures ${service.database.engine}; pass --database to use it)`;
}
