/** The labels and selectors of every object the platform creates: `app.kubernetes.io/*` and Istio's `app`/`version`. */

import { deploymentName, type DeliveredService, type PlatformIdentity } from './workloads';

/** `app.kubernetes.io/managed-by` of every object. */
export const MANAGED_BY = 'cdk8s';

/** Labels a Service selects on: all versions of the service. */
export const serviceSelector = (service: string) => ({ app: service });

/**
 * Labels that select every pod of a service in this environment, for its policies, monitors and budget: `app` under
 * static delivery; under progressive delivery `app.kubernetes.io/name`, which both Flagger's `<name>-primary` pods
 * and the canary's carry (Flagger rewrites only the selector label `app` of the primary's pods, to `<name>-primary`).
 */
export function servicePodSelector(service: DeliveredService): Record<string, string> {
  return service.delivery.mode === 'progressive' ? { 'app.kubernetes.io/name': service.name } : serviceSelector(service.name);
}

/** Labels that select one version's pods (Deployment selector, DestinationRule subset with the host's selector). */
export const versionSelector = (service: string, version: string) => ({ app: service, version });

/** Standard labels on every object that belongs to a service. */
export function serviceLabels(platform: PlatformIdentity, service: string, component: string): Record<string, string> {
  return {
    app: service,
    'app.kubernetes.io/name': service,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': platform.name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** Labels of one version's Deployment and pods: the service's, plus Istio's `version` and the instance. */
export function versionLabels(platform: PlatformIdentity, service: string, component: string, version: string): Record<string, string> {
  return {
    ...serviceLabels(platform, service, component),
    version,
    'app.kubernetes.io/instance': deploymentName(service, version),
    'app.kubernetes.io/version': version,
  };
}

/** Labels of platform-wide objects (namespace, gateway, policies). */
export function platformLabels(platform: PlatformIdentity): Record<string, string> {
  return { 'app.kubernetes.io/part-of': platform.name, 'app.kubernetes.io/managed-by': MANAGED_BY };
}

/**
 * The pod label that tells a service's workloads apart: its value is the service's name, except on Flagger's primary
 * pods, where Flagger rewrites it to `<name>-primary` (the primary and canary pods of a progressive service share
 * their `version`).
 */
export const WORKLOAD_LABEL = 'app';

/** Namespace label naming the environment the namespace's objects were synthesized for (`dev`, `staging`, `prod`). */
export const ENVIRONMENT_LABEL = 'mesh-platform.io/environment';

/**
 * Namespace label `mesh-platform.io/production: "true"` of a production environment: the validator applies its
 * production rules (replicas, disruption budgets) to that namespace.
 */
export const PRODUCTION_LABEL = 'mesh-platform.io/production';
