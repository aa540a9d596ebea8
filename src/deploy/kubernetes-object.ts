import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
// The validator's definition of Kubernetes' own groups (from the carried API schemas), so deploy and validation agree.
import { isBuiltInGroup } from '../validation/schema/registry';

/** A plain Kubernetes or Istio object as the chart synthesizes it (cdk8s `toJson()`). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [field: string]: unknown };
  readonly [field: string]: unknown;
}

/** The API group of an object: `''` for the core group (`v1`). */
export function apiGroup(object: Pick<KubernetesObject, 'apiVersion'>): string {
  const slash = object.apiVersion.indexOf('/');
  return slash < 0 ? '' : object.apiVersion.slice(0, slash);
}

/** True for Istio's custom resources (`*.istio.io`), which need Istio's CRDs installed. */
export function isIstioObject(object: Pick<KubernetesObject, 'apiVersion'>): boolean {
  return apiGroup(object).endsWith('.istio.io');
}

/** Identity of an object in messages and tests: `Deployment shop/order-service-v1`. */
export function describeObject(object: KubernetesObject): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/**
 * Pulumi's logical name for an object: `namespace/name`, or `name` when cluster-scoped (yaml/v2's convention).
 * Pulumi's URN adds the type, so a Service and a ServiceAccount may share a name. Logical names must stay stable:
 * renaming one makes Pulumi delete and recreate a named Kubernetes object.
 */
export function logicalName(object: Pick<KubernetesObject, 'metadata'>): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

type ResourceConstructor = new (name: string, args: object, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The @pulumi/kubernetes class for a built-in kind (`apps/v1` Deployment → `k8s.apps.v1.Deployment`), found by the SDK's
 * module layout: core group → `core`, otherwise the group's first label (`networking.k8s.io` → `networking`).
 */
function builtInClass(object: KubernetesObject): ResourceConstructor | undefined {
  const group = apiGroup(object);
  const moduleName = group === '' ? 'core' : group.split('.')[0];
  const version = object.apiVersion.slice(object.apiVersion.indexOf('/') + 1);
  const sdk = k8s as unknown as Record<string, Record<string, Record<string, ResourceConstructor | undefined>> | undefined>;
  return sdk[moduleName]?.[version]?.[object.kind];
}

/**
 * Registers one object as one Pulumi resource: the typed class for built-in kinds, which carries Pulumi's per-kind
 * behaviour (a Deployment awaits its rollout, a Service its endpoints, Secret data is marked secret), and
 * `CustomResource` for Istio's (and any other) custom resources. `object` may hold Pulumi inputs (a pinned image).
 * @throws for a built-in kind this @pulumi/kubernetes does not know (a typo, or an SDK too old for it).
 */
export function objectResource(object: KubernetesObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const name = logicalName(object);
  if (!isBuiltInGroup(apiGroup(object))) {
    return new k8s.apiextensions.CustomResource(name, object as k8s.apiextensions.CustomResourceArgs, opts);
  }
  const Typed = builtInClass(object);
  if (!Typed) {
    throw new Error(
      `${describeObject(object)}: @pulumi/kubernetes has no class for ${object.apiVersion} ${object.kind}; check the kind or upgrade @pulumi/kubernetes`,
    );
  }
  return new Typed(name, object, opts);
}
