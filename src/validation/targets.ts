import { ISTIO_DEFAULT_SCHEMA_VERSIONS, KUBERNETES_API } from '../versions';
import {
  AVAILABLE_FLAGGER_VERSIONS, AVAILABLE_GATEWAY_API_VERSIONS, AVAILABLE_ISTIO_VERSIONS, AVAILABLE_KEDA_VERSIONS, AVAILABLE_KUBERNETES_VERSIONS, AVAILABLE_PROMETHEUS_OPERATOR_VERSIONS,
} from './schema/registry';
import type { ValidateOptions } from './types';

/** Default of ValidateOptions.kubernetesVersions: the floor (cdk8s-plus-27's API level) and the current release. */
export const DEFAULT_KUBERNETES_VERSIONS: readonly string[] = [KUBERNETES_API.floor, KUBERNETES_API.current];
/**
 * Default of ValidateOptions.istioVersions: the releases the platform supports, the installed one and the previous
 * minor. Older carried releases (1.22.8) are checked on request.
 */
export const DEFAULT_ISTIO_VERSIONS: readonly string[] = [...ISTIO_DEFAULT_SCHEMA_VERSIONS];

/** The versions one validation checks against, resolved: known, without duplicates, oldest first. */
export interface Targets {
  /** Kubernetes API levels (`1.27`, `1.36`). */
  readonly kubernetes: readonly string[];
  /** Istio releases (`1.31.4`). */
  readonly istio: readonly string[];
  /** Gateway API releases (`1.6.0`, standard channel): every one carried, the one the installed Istio requires. */
  readonly 'gateway-api': readonly string[];
  /** Prometheus Operator releases (`0.85.0`): every one carried (src/versions.ts). */
  readonly 'prometheus-operator': readonly string[];
  /** KEDA releases (`2.20.2`): every one carried. */
  readonly keda: readonly string[];
  /** Flagger releases (`1.44.0`): every one carried. */
  readonly flagger: readonly string[];
}

/** A version asked for that the validator has no schemas for; the message lists the known ones. */
export class UnknownVersionError extends Error {}

/** The versions validation can check against (those with schemas in imports/schemas/), oldest first. */
export function knownVersions(): Targets {
  return {
    kubernetes: AVAILABLE_KUBERNETES_VERSIONS, istio: AVAILABLE_ISTIO_VERSIONS, 'gateway-api': AVAILABLE_GATEWAY_API_VERSIONS,
    'prometheus-operator': AVAILABLE_PROMETHEUS_OPERATOR_VERSIONS, keda: AVAILABLE_KEDA_VERSIONS, flagger: AVAILABLE_FLAGGER_VERSIONS,
  };
}

/**
 * The Kubernetes and Istio versions `options` ask for, or the defaults. A Kubernetes version is an API level (`1.36`);
 * a patch release of a known level (`1.36.3`, `1.36.0`) means that level, since patch releases do not change the API.
 * An Istio version is a release (`1.31.4`), as CRDs can change in patch releases.
 *
 * @throws UnknownVersionError for a version without schemas, naming the known ones
 */
export function resolveTargets(options: Pick<ValidateOptions, 'kubernetesVersions' | 'istioVersions'>): Targets {
  return {
    kubernetes: resolve('Kubernetes', options.kubernetesVersions ?? DEFAULT_KUBERNETES_VERSIONS, AVAILABLE_KUBERNETES_VERSIONS,
      (version) => (/^\d+\.\d+\.\d+$/.test(version) ? version.split('.').slice(0, 2).join('.') : version)),
    istio: resolve('Istio', options.istioVersions ?? DEFAULT_ISTIO_VERSIONS, AVAILABLE_ISTIO_VERSIONS, (version) => version),
    'gateway-api': AVAILABLE_GATEWAY_API_VERSIONS,
    'prometheus-operator': AVAILABLE_PROMETHEUS_OPERATOR_VERSIONS,
    keda: AVAILABLE_KEDA_VERSIONS,
    flagger: AVAILABLE_FLAGGER_VERSIONS,
  };
}

/** Splits a comma-separated list of versions (`1.27,1.36`), as the CLI takes them. */
export function parseVersionList(text: string): string[] {
  return text.split(',').map((version) => version.trim()).filter((version) => version.length > 0);
}

function resolve(
  family: string,
  asked: readonly unknown[],
  known: readonly string[],
  normalize: (version: string) => string,
): string[] {
  if (asked.length === 0) throw new UnknownVersionError(`no ${family} version given (known: ${known.join(', ')})`);
  const resolved = new Set<string>();
  for (const value of asked) {
    // YAML reads an unquoted 1.30 as the number 1.3: only a number that prints as a known version is taken as one.
    const version = typeof value === 'number' ? String(value) : value;
    const level = typeof version === 'string' ? normalize(version.trim().replace(/^v/, '')) : undefined;
    if (level === undefined || !known.includes(level)) {
      const quote = typeof value === 'number' ? ` (write versions as strings: YAML reads 1.30 as the number 1.3)` : '';
      throw new UnknownVersionError(`unknown ${family} version ${JSON.stringify(value)}${quote} (known: ${known.join(', ')})`);
    }
    resolved.add(level);
  }
  return known.filter((version) => resolved.has(version));
}
