/**
 * Kubernetes container settings in Compose's terms, shared by the services' containers (compose-file.ts) and the
 * database server's (database-server.ts).
 */
import { parseQuantity } from '../description/formats';
import type { ComposeService } from './compose-types';

/** Compose interpolates `$` in values; `$$` is a literal `$`. */
export const literal = (value: string): string => value.replace(/\$/g, '$$$$');

/** Docker's memory units from a Kubernetes quantity (`256Mi` → `256m`): whole MiB when exact, else bytes. */
export function dockerMemory(quantity: string | number): string {
  const bytes = Math.ceil(parseQuantity(String(quantity)));
  return bytes % 2 ** 20 === 0 ? `${bytes / 2 ** 20}m` : String(bytes);
}

/** The parts of a container's securityContext that Compose can express. */
export interface SecuritySettings {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly readOnlyRootFilesystem?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[] };
}

/** User, read-only root filesystem, dropped capabilities and no privilege escalation, as the securityContext sets them. */
export function securitySettings(security: SecuritySettings): Pick<ComposeService, 'user' | 'read_only' | 'cap_drop' | 'security_opt'> {
  return {
    user: `${security.runAsUser}:${security.runAsGroup}`,
    read_only: security.readOnlyRootFilesystem === true,
    cap_drop: [...(security.capabilities?.drop ?? [])],
    security_opt: security.allowPrivilegeEscalation === false ? ['no-new-privileges:true'] : [],
  };
}

/** Memory and CPU limits from the container's `resources.limits` quantities. */
export function limitSettings(limits: { readonly cpu?: string | number; readonly memory?: string | number }): Pick<ComposeService, 'mem_limit' | 'cpus'> {
  return { mem_limit: dockerMemory(limits.memory ?? 0), cpus: parseQuantity(String(limits.cpu ?? 0)) };
}

/** A tmpfs mount for an emptyDir, sized by its `sizeLimit` when it has one. */
export function tmpfsMount(path: string, sizeLimit: string | number | undefined): string {
  return sizeLimit === undefined ? path : `${path}:size=${dockerMemory(sizeLimit)}`;
}
