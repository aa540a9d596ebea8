/**
 * CRDs installed from bundles committed in imports/crds/ (the same files the bindings and the validator's schemas are
 * made from, at the versions src/versions.ts pins): one typed resource per CRD, so Pulumi awaits each CRD's
 * establishment before the objects of its kinds.
 */
import * as pulumi from '@pulumi/pulumi';
import { bundleObjects } from './gateway-api-crds';
import { objectResource } from './kubernetes-object';

/** The CRDs of some committed bundles, kept on destroy. */
export class CommittedCrds extends pulumi.ComponentResource {
  /** The applied CRDs' resources. */
  public readonly resources: readonly pulumi.CustomResource[];

  /**
   * @param type the component's type token, e.g. `mesh-platform:deploy:MonitoringCrds`
   * @param files the bundles, in install order
   */
  constructor(type: string, name: string, files: readonly string[], opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    // Kept on destroy, as Helm keeps a chart's CRDs: deleting a CRD deletes every object of its kind in the cluster,
    // other teams' included.
    this.resources = files.flatMap(bundleObjects).map((object) => objectResource(object, { parent: this, retainOnDelete: true }));
    this.registerOutputs({ count: this.resources.length });
  }
}
