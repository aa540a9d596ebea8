import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiFamily, compareVersions, FAMILY_NAMES, type SchemaRegistry } from './registry';

/**
 * Which Kubernetes release serves which apiVersion/kind, from the floor to the current level (generated from every
 * release in between: imports/schemas/kubernetes-lifecycle.json). `kinds` holds only the keys not served throughout,
 * each with the first and last release serving it (the first release meaning "that release or earlier").
 */
interface Lifecycle {
  readonly releases: readonly string[];
  readonly kinds: Readonly<Record<string, readonly [string, string]>>;
}

const LIFECYCLE_FILE = join(__dirname, '../../../imports/schemas/kubernetes-lifecycle.json');
let lifecycle: Lifecycle | null | undefined;

function kubernetesLifecycle(): Lifecycle | null {
  lifecycle ??= existsSync(LIFECYCLE_FILE) ? (JSON.parse(readFileSync(LIFECYCLE_FILE, 'utf8')) as Lifecycle) : null;
  return lifecycle;
}

/** Why a checked version does not serve an object's apiVersion/kind, for a finding. */
export interface Unserved {
  readonly message: string;
  readonly hint: string;
}

const MIGRATION_GUIDE = 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/';

/** Whether any release of the family the validator knows of serves `apiVersion/kind` (`key`). */
export function everServed(registry: SchemaRegistry, family: ApiFamily, versions: readonly string[], key: string): boolean {
  if (family === 'kubernetes' && kubernetesLifecycle()?.kinds[key]) return true;
  return versions.some((version) => registry.serves(family, version, key));
}

/**
 * Why `version` (checked, and not serving `apiVersion`/`kind`) does not serve it: removed (in which release, and which
 * apiVersion of the same kind to use instead) or not served yet (from which release). Kubernetes releases come from
 * the lifecycle data; Istio's (and Kubernetes' without that data) from the versions carried (`available`).
 *
 * @param checked every version being checked: a replacement they all serve is preferred
 */
export function unserved(
  registry: SchemaRegistry,
  family: ApiFamily,
  version: string,
  apiVersion: string,
  kind: string,
  checked: readonly string[],
  available: readonly string[],
): Unserved {
  const key = `${apiVersion}/${kind}`;
  const name = FAMILY_NAMES[family];
  const replacement = replacementFor(registry, family, version, apiVersion, kind, checked);
  const range = family === 'kubernetes' ? kubernetesLifecycle()?.kinds[key] : undefined;
  const releases = kubernetesLifecycle()?.releases ?? [];
  if (range && compareVersions(version, range[1]) > 0) {
    const removedIn = releases[releases.indexOf(range[1]) + 1] ?? `a release after ${range[1]}`;
    return removed(`${apiVersion} ${kind}: removed in ${name} ${removedIn}`, name, version, kind, replacement, servedFrom(replacement, kind));
  }
  if (range && compareVersions(version, range[0]) < 0) {
    return notYet(`${apiVersion} ${kind}: not served by ${name} ${version} (served from ${range[0]})`, name, version, kind, replacement);
  }
  const servedBy = available.filter((other) => registry.serves(family, other, key));
  const text = `${apiVersion} ${kind}: not served by ${name} ${version} (served by ${servedBy.join(', ') || 'no version known'})`;
  if (servedBy.length > 0 && servedBy.every((other) => compareVersions(other, version) < 0)) {
    return removed(text, name, version, kind, replacement, '');
  }
  return notYet(text, name, version, kind, replacement);
}

function removed(text: string, name: string, version: string, kind: string, replacement: string | undefined, since: string): Unserved {
  if (!replacement) {
    return { message: `${text}; ${name} ${version} serves no other version of ${kind}`, hint: `remove the object, or do not check ${name} ${version}` };
  }
  const guide = name === 'Kubernetes' ? ` (what changed: ${MIGRATION_GUIDE})` : '';
  return { message: `${text}; use ${replacement}${since}`, hint: `migrate the object to ${replacement}${guide}` };
}

function notYet(text: string, name: string, version: string, kind: string, replacement: string | undefined): Unserved {
  return {
    message: replacement ? `${text}; ${name} ${version} serves ${kind} as ${replacement}` : text,
    hint: `use an apiVersion that every ${name} version checked serves, or check only the versions you deploy to (CLI --${name.toLowerCase()}, option ${name.toLowerCase()}Versions)`,
  };
}

/** ` (served from 1.29)` when the lifecycle data says the replacement is newer than the floor, else ``. */
function servedFrom(replacement: string | undefined, kind: string): string {
  const data = kubernetesLifecycle();
  const range = replacement && data ? data.kinds[`${replacement}/${kind}`] : undefined;
  return range && range[0] !== data?.releases[0] ? ` (served from ${range[0]})` : '';
}

/**
 * The apiVersion of the same group and kind that `version` serves: one that every checked version serves if there is
 * one, the most stable (v1 over v1beta2 over v1alpha1) otherwise.
 */
function replacementFor(
  registry: SchemaRegistry,
  family: ApiFamily,
  version: string,
  apiVersion: string,
  kind: string,
  checked: readonly string[],
): string | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/') + 1) : '';
  const candidates = registry.kinds(family, version)
    .filter((key) => key.endsWith(`/${kind}`) && key.startsWith(group) && key.split('/').length === apiVersion.split('/').length + 1)
    .map((key) => key.slice(0, -kind.length - 1))
    .filter((candidate) => candidate !== apiVersion);
  const everywhere = (candidate: string): boolean => checked.every((other) => registry.serves(family, other, `${candidate}/${kind}`));
  return candidates.sort((a, b) => Number(everywhere(b)) - Number(everywhere(a)) || versionPriority(b) - versionPriority(a))[0];
}

/** Kubernetes' version priority (`v2` > `v1` > `v1beta2` > `v1beta1` > `v1alpha1`) as a number. */
function versionPriority(apiVersion: string): number {
  const match = /v(\d+)(?:(alpha|beta)(\d+))?$/.exec(apiVersion);
  if (!match) return 0;
  const stability = match[2] === undefined ? 2 : match[2] === 'beta' ? 1 : 0;
  return stability * 1e6 + Number(match[1]) * 1e3 + Number(match[3] ?? 0);
}
