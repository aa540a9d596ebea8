/**
 * With `installIstio: false`, an environment on the Gateway API (its routes, or ambient's waypoint) needs the Gateway
 * API CRDs already in the cluster, in the environment's channel: the bundle the program would otherwise apply
 * (gateway-api-crds.ts). They are checked up front through API discovery, which every authenticated user may read, so
 * a missing CRD is named with its fix instead of failing the update halfway. The experimental channel shows by its own
 * kinds and versions (`gateway.networking.x-k8s.io`, `v1alpha2` routes), which the standard one does not serve.
 */
import * as pulumi from '@pulumi/pulumi';
import { relative } from 'node:path';
import { REPOSITORY_ROOT } from '../images/services';
import type { GatewayApiChannel } from '../description/modes';
import { GATEWAY_API } from '../versions';
import type { ClusterAccess } from './cluster-preflight';
import { configProblem, DeployConfigError } from './config';
import { gatewayApiCrdObjects, gatewayApiCrdsFile } from './gateway-api-crds';
import { kubeGet, UnsupportedCredentials } from './kube-api';

/** One CRD of the bundle and the versions it serves. */
export interface RequiredCrd {
  /** e.g. `httproutes.gateway.networking.k8s.io` */
  readonly name: string;
  readonly group: string;
  /** Resource name in discovery, e.g. `httproutes`. */
  readonly plural: string;
  readonly versions: readonly string[];
}

/** The CRDs of the channel's committed bundle (the one the typed bindings are generated from). */
export function requiredGatewayApiCrds(channel: GatewayApiChannel): RequiredCrd[] {
  return gatewayApiCrdObjects(gatewayApiCrdsFile(channel))
    .filter((object) => object.kind === 'CustomResourceDefinition')
    .map((object) => {
      const spec = object.spec as { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] };
      return { name: object.metadata.name, group: spec.group, plural: spec.names.plural, versions: spec.versions.filter((v) => v.served).map((v) => v.name) };
    });
}

/** Resource names the cluster serves in `group/version` (`/apis/<group>/<version>`); empty when it serves none. */
export type ApiDiscovery = (groupVersion: string) => Promise<readonly string[]>;

/** Each required CRD the cluster does not serve in every version, as `name (v1, v1beta1)` with the missing versions. */
export async function missingCrds(required: readonly RequiredCrd[], discover: ApiDiscovery): Promise<string[]> {
  const groupVersions = [...new Set(required.flatMap((crd) => crd.versions.map((version) => `${crd.group}/${version}`)))];
  const served = new Map(await Promise.all(groupVersions.map(async (gv) => [gv, new Set(await discover(gv))] as const)));
  return required.flatMap((crd) => {
    const missing = crd.versions.filter((version) => !served.get(`${crd.group}/${version}`)!.has(crd.plural));
    return missing.length === 0 ? [] : [`${crd.name} (${missing.join(', ')})`];
  });
}

/** Discovery through the cluster's API with the kubeconfig's credentials (a 404 means the group version is not served). */
export function clusterDiscovery(access: Pick<ClusterAccess, 'cluster' | 'user'>): ApiDiscovery {
  return async (groupVersion) => {
    const { status, body } = await kubeGet(access.cluster, access.user, `/apis/${groupVersion}`);
    if (status === 404) return [];
    if (status !== 200) throw new Error(`GET /apis/${groupVersion} answered ${status}`);
    return ((body as { resources?: { name: string }[] }).resources ?? []).map((resource) => resource.name);
  };
}

/**
 * Fails when the cluster lacks a CRD of the channel's bundle, naming each missing CRD and the fix; warns and skips
 * when the API cannot be asked (credentials this check does not implement, or an error answer).
 */
export async function gatewayApiPreflight(channel: GatewayApiChannel, access: ClusterAccess, discover: ApiDiscovery = clusterDiscovery(access)): Promise<void> {
  let missing: string[];
  try {
    missing = await missingCrds(requiredGatewayApiCrds(channel), discover);
  } catch (error) {
    const reason = error instanceof UnsupportedCredentials ? error.message : `API discovery failed: ${(error as Error).message}`;
    pulumi.log.warn(`Gateway API CRDs not checked in context "${access.context}" (${reason}); the update fails later if they are missing`);
    return;
  }
  if (missing.length === 0) return;
  const file = relative(REPOSITORY_ROOT, gatewayApiCrdsFile(channel));
  throw new DeployConfigError([configProblem('installIstio',
    `the cluster of context "${access.context}" lacks Gateway API CRDs the environment needs (Gateway API ${GATEWAY_API.version}, ${channel} channel): ${missing.join('; ')}`,
    `kubectl apply --server-side -f ${file} (for the experimental channel over the standard one see docs/modes.md), or pulumi config set installIstio true`)]);
}
