import * as pulumi from '@pulumi/pulumi';
import type { ServiceSecretValues } from './config';
import { isIstioObject, objectResource, type KubernetesObject } from './kubernetes-object';
import { pinImages } from './pin-images';
import { secretObjects, type SecretSpec } from './service-secrets';

/** Props of {@link PlatformDeployment}. */
export interface PlatformDeploymentArgs {
  /** The platform spec the objects were synthesized from (namespace, services, their secrets). */
  readonly spec: SecretSpec;
  /** The objects the platform chart synthesized for the environment, with the tag references of the images. */
  readonly objects: readonly KubernetesObject[];
  /** Per tag reference in `objects`: the digest-pinned reference that replaces it (output of the image builds). */
  readonly pinnedImages: Readonly<Record<string, pulumi.Input<string>>>;
  /** Secret values per service and variable, from Pulumi secret config. */
  readonly secrets: pulumi.Output<ServiceSecretValues>;
  /** What every object of the platform waits for, e.g. the Istio installation. @default nothing */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * Applies every object the platform chart synthesized, one Pulumi resource per object, plus the Secrets made from
 * Pulumi secrets. Ordering is explicit, so it does not rest on heuristics:
 * - Namespaces first; every namespaced object depends on its Namespace (and deletes before it).
 * - Everything but the Namespaces depends on `dependsOn` (the Istio installation): Istio's custom resources need its
 *   CRDs, and pods need the sidecar injector and the CNI before they start, or they run outside the mesh.
 * - Workloads depend on the Secrets, so pods never start against a missing Secret.
 */
export class PlatformDeployment extends pulumi.ComponentResource {
  /** The resource of each applied object, in the chart's order, Secrets after the chart's objects. */
  public readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, args: PlatformDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mesh-platform:deploy:PlatformDeployment', name, {}, opts);
    const objects = pinImages(args.objects, args.pinnedImages);
    const child = (object: KubernetesObject, dependsOn: readonly pulumi.Resource[]) =>
      objectResource(object, { parent: this, dependsOn: [...dependsOn] });

    const namespaces = new Map(
      objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, child(o, [])] as const),
    );
    const namespaceOf = (object: KubernetesObject): pulumi.Resource[] => {
      const namespace = object.metadata.namespace && namespaces.get(object.metadata.namespace);
      return namespace ? [namespace] : [];
    };
    const after = args.dependsOn ?? [];

    const chartSecrets = objects.filter((o) => o.kind === 'Secret');
    const labelsOf = (service: string) => serviceLabels(objects, service);
    const secrets = secretObjects(args.spec, args.secrets, chartSecrets, labelsOf).map((secret) =>
      child(secret, [...namespaceOf(secret), ...after]),
    );

    const others = objects
      .filter((o) => o.kind !== 'Namespace' && o.kind !== 'Secret')
      .map((object) => child(object, [...namespaceOf(object), ...after, ...(runsPods(object) ? secrets : [])]));

    this.resources = [...namespaces.values(), ...others, ...secrets];
    this.registerOutputs({ objectCount: this.resources.length });
  }
}

/** Kinds whose pods mount the Secrets. */
const POD_CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

function runsPods(object: KubernetesObject): boolean {
  return POD_CONTROLLERS.has(object.kind) && !isIstioObject(object);
}

/** The labels the chart gave the service's Service, reused for the Secret Pulumi creates for it. */
function serviceLabels(objects: readonly KubernetesObject[], service: string): Record<string, string> {
  const owner = objects.find((o) => o.kind === 'Service' && o.metadata.name === service);
  return { ...(owner?.metadata.labels as Record<string, string> | undefined) };
}
