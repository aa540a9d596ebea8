import * as pulumi from '@pulumi/pulumi';
import { synthesizePlatform } from '../platform';
import type { ImageReferences } from '../description/resolve';
import type { EnvironmentName, EnvironmentOverrides, PlatformSpec } from '../description/types';
import { alertWebhookSecretObjects } from './alert-webhook-secret';
import { databaseSecretObjects, type DatabaseSecretConfig } from './database-secrets';
import { flaggerWrittenFields } from './flagger-fields';
import { isIstioObject, logicalName, objectResource, type KubernetesObject } from './kubernetes-object';
import { pinImages } from './pin-images';
import type { ServiceSecretOutputs } from './service-secrets';
import { secretObjects } from './service-secrets';

/** Props of {@link PlatformDeployment}. */
export interface PlatformDeploymentArgs {
  /** The environment whose chart is synthesized. */
  readonly environment: EnvironmentName;
  /** Overrides on top of the environment's own (stack config `overrides`, `registry`, `canary`: ./stack-overrides.ts). @default none */
  readonly overrides?: EnvironmentOverrides;
  /** Image reference per service the chart is synthesized with: the content-addressed tags (`imageReferences`). */
  readonly images: ImageReferences;
  /** Per service: the same image pinned to its pushed digest (output of the image builds); replaces the tag reference. */
  readonly pinnedImages: Readonly<Record<string, pulumi.Input<string>>>;
  /** Secret values per service and variable, from Pulumi secret config. */
  readonly secrets: ServiceSecretOutputs;
  /** Database URLs (external server) or the in-cluster server's password, from Pulumi secret config. */
  readonly databases: DatabaseSecretConfig;
  /** The Alertmanager webhook URL, from Pulumi secret config (`alertWebhookUrl`). @default none */
  readonly alertWebhookUrl?: pulumi.Output<string>;
  /** What every object of the platform waits for, e.g. the Istio installation. @default nothing */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * Runs the platform chart for the environment in process (`synthesizePlatform`, the code behind `cdk8s synth`) and
 * applies every object it synthesizes, one Pulumi resource per object, plus the Secrets made from Pulumi secrets (the
 * services' own, the database ones and the alert webhook's).
 * Images: the chart gets the content-addressed tag references, which are known before any build, so every object is
 * known at preview; each tag reference is then replaced by its digest-pinned output. Ordering is explicit:
 * - Namespaces first; every namespaced object depends on its Namespace (and deletes before it).
 * - Everything but the Namespaces depends on `dependsOn` (the Istio installation, the monitoring CRDs): custom
 *   resources need their CRDs, and pods need the sidecar injector and the CNI before they start, or they run outside the mesh.
 * - Workloads depend on the Secrets, so pods never start against a missing Secret.
 * What Flagger writes on the objects of a progressive service (the target's replicas, KEDA's pause annotation) is
 * left to it (`ignoreChanges`, ./flagger-fields.ts), so a deploy after a promotion changes nothing.
 */
export class PlatformDeployment extends pulumi.ComponentResource {
  /** The resolved spec the chart was synthesized from. */
  public readonly spec: PlatformSpec;
  /** The objects exactly as the chart synthesized them (tag references, no secret values from config). */
  public readonly objects: readonly KubernetesObject[];
  /** The resource of each applied object: Namespaces, the chart's other objects, then the Secrets. */
  public readonly resources: readonly pulumi.CustomResource[];
  /** The resource of each applied object by `<apiVersion> <Kind> <namespace>/<name>` (see {@link resourceOf}). */
  private readonly byObject = new Map<string, pulumi.CustomResource>();

  constructor(name: string, args: PlatformDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mesh-platform:deploy:PlatformDeployment', name, {}, opts);
    const { spec, objects: synthesized } = synthesizePlatform(args.environment, { images: args.images, overrides: args.overrides });
    this.spec = spec;
    this.objects = synthesized as unknown as KubernetesObject[];
    const pinned = Object.fromEntries(
      Object.entries(args.images).map(([service, reference]) => {
        const pinnedImage = args.pinnedImages[service];
        if (pinnedImage === undefined) throw new Error(`image of ${service}: ${reference} has no pushed (digest-pinned) image`);
        return [reference, pinnedImage] as const;
      }),
    );
    const objects = pinImages(this.objects, pinned);
    const leftToFlagger = flaggerWrittenFields(this.objects);
    const child = (object: KubernetesObject, dependsOn: readonly pulumi.Resource[]) => {
      const ignoreChanges = leftToFlagger(object);
      const resource = objectResource(object, { parent: this, dependsOn: [...dependsOn], ...(ignoreChanges.length > 0 ? { ignoreChanges: [...ignoreChanges] } : {}) });
      this.byObject.set(objectKey(object), resource);
      return resource;
    };

    const namespaces = new Map(
      objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, child(o, [])] as const),
    );
    const namespaceOf = (object: KubernetesObject): pulumi.Resource[] => {
      const namespace = object.metadata.namespace && namespaces.get(object.metadata.namespace);
      return namespace ? [namespace] : [];
    };
    const after = args.dependsOn ?? [];

    const chartSecrets = objects.filter((o) => o.kind === 'Secret');
    const made = [
      ...secretObjects(spec, args.secrets, chartSecrets),
      ...databaseSecretObjects(spec, args.databases),
      ...alertWebhookSecretObjects(spec, args.alertWebhookUrl),
    ];
    const secrets = made.map((secret) =>
      child(secret, [...namespaceOf(secret), ...after]),
    );

    const others = objects
      .filter((o) => o.kind !== 'Namespace' && o.kind !== 'Secret')
      .map((object) => child(object, [...namespaceOf(object), ...after, ...(runsPods(object) ? secrets : [])]));

    this.resources = [...namespaces.values(), ...others, ...secrets];
    this.registerOutputs({ objectCount: this.resources.length });
  }

  /** The resource that applies the object of this apiVersion, kind, namespace and name; undefined if the chart made none. */
  resourceOf(object: ObjectIdentity): pulumi.CustomResource | undefined {
    return this.byObject.get(objectKey(object));
  }
}

/** What identifies an object in the cluster. */
type ObjectIdentity = Pick<KubernetesObject, 'apiVersion' | 'kind' | 'metadata'>;

const objectKey = (object: ObjectIdentity) => `${object.apiVersion} ${object.kind} ${logicalName(object)}`;

/** Kinds whose pods mount the Secrets. */
const POD_CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

function runsPods(object: KubernetesObject): boolean {
  return POD_CONTROLLERS.has(object.kind) && !isIstioObject(object);
}
