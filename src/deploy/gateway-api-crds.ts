/**
 * The Kubernetes Gateway API CRDs (standard channel, the version Istio requires), installed from the file committed in
 * imports/crds/ — the same file the typed bindings are generated from — so the routes and their CRDs cannot drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parseAllDocuments } from 'yaml';
import { REPOSITORY_ROOT } from '../images/services';
import { GATEWAY_API } from '../versions';
import { objectResource, type KubernetesObject } from './kubernetes-object';

/** The committed bundle of {@link GATEWAY_API}'s standard-channel CRDs. */
export const GATEWAY_API_CRDS_FILE = join(REPOSITORY_ROOT, 'imports', 'crds', `gateway-api-${GATEWAY_API.version}-standard.yaml`);

/** The bundle's objects: the CRDs and the upstream ValidatingAdmissionPolicy that guards them against downgrades. */
export function gatewayApiCrdObjects(file: string = GATEWAY_API_CRDS_FILE): KubernetesObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
}

/** One resource per object of the bundle (typed, so Pulumi awaits each CRD's establishment). */
export class GatewayApiCrds extends pulumi.ComponentResource {
  /** The applied objects' resources. */
  public readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('mesh-platform:deploy:GatewayApiCrds', name, {}, opts);
    this.resources = gatewayApiCrdObjects().map((object) => objectResource(object, { parent: this }));
    this.registerOutputs({ count: this.resources.length });
  }
}
