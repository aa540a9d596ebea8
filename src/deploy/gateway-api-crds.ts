/**
 * The Kubernetes Gateway API CRDs (the version Istio requires, in the environment's channel), installed from the file
 * committed in imports/crds/ — the same file the typed bindings are generated from — so the routes and their CRDs
 * cannot drift. `standard` by default; `experimental` for an environment with `mesh.gatewayApiChannel: 'experimental'`
 * (HTTPRoute `retry`). The channel is cluster-wide: see docs/modes.md for what that means for other users.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parseAllDocuments } from 'yaml';
import { REPOSITORY_ROOT } from '../images/services';
import type { GatewayApiChannel } from '../description/modes';
import { GATEWAY_API } from '../versions';
import { objectResource, type KubernetesObject } from './kubernetes-object';

/** The committed bundle of {@link GATEWAY_API}'s CRDs in `channel`. */
export function gatewayApiCrdsFile(channel: GatewayApiChannel = 'standard'): string {
  return join(REPOSITORY_ROOT, 'imports', 'crds', `gateway-api-${GATEWAY_API.version}-${channel}.yaml`);
}

/** The committed bundle of {@link GATEWAY_API}'s standard-channel CRDs. */
export const GATEWAY_API_CRDS_FILE = gatewayApiCrdsFile('standard');

/** The objects of a committed YAML bundle (imports/crds/), in file order. */
export function bundleObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
}

/** The bundle's objects: the CRDs and the upstream ValidatingAdmissionPolicy that guards them against downgrades. */
export function gatewayApiCrdObjects(file: string = GATEWAY_API_CRDS_FILE): KubernetesObject[] {
  return bundleObjects(file);
}

/** Arguments of {@link GatewayApiCrds}. */
export interface GatewayApiCrdsArgs {
  /**
   * The channel to install. The bundle's ValidatingAdmissionPolicy (`safe-upgrades.gateway.networking.k8s.io`) denies
   * replacing standard-channel CRDs by experimental ones: a cluster that has the standard channel needs that policy's
   * binding removed first (docs/modes.md).
   * @default 'standard'
   */
  readonly channel?: GatewayApiChannel;
}

/** One resource per object of the bundle (typed, so Pulumi awaits each CRD's establishment). */
export class GatewayApiCrds extends pulumi.ComponentResource {
  /** The applied objects' resources. */
  public readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, args: GatewayApiCrdsArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('mesh-platform:deploy:GatewayApiCrds', name, {}, opts);
    this.resources = gatewayApiCrdObjects(gatewayApiCrdsFile(args.channel)).map((object) => objectResource(object, { parent: this }));
    this.registerOutputs({ count: this.resources.length });
  }
}
