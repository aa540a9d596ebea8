import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The root of the machine-wide caches (the Go-built toolchain, the validator's compiled schemas and parsed files),
 * outside the clone so that every clone and CI run on the machine shares them.
 * @default `$MESH_PLATFORM_CACHE`, else `$XDG_CACHE_HOME/mesh-platform`, else `~/.cache/mesh-platform`
 */
export function cacheRoot(): string {
  return process.env.MESH_PLATFORM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mesh-platform');
}
