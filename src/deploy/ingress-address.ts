/**
 * The stack output `gateway`: which Service receives the ingress traffic and its external address, in the same shape
 * in both routing APIs.
 * - Istio routing: the ingress gateway this stack installed (the `gateway` chart's Service); its load-balancer address.
 *   Without `installIstio` the gateway is the cluster's own, unknown to the stack: no Service, no address.
 * - Gateway API routing: the Service Istio creates for the platform's Gateway (`<gateway>-istio` in the platform
 *   namespace, whoever installed Istio) and the address Istio writes into the Gateway's `status.addresses`.
 * Both addresses are read from the cluster on every `pulumi up` and preview (a `get`, which never waits: the provider
 * returns what the object holds now), so a cluster where nothing programs the Gateway, or where the load balancer is
 * not ready yet, gives no address rather than a hanging update; the next `pulumi up` after that shows it.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { GATEWAY_API_GROUP, ingressGatewayService } from '../description/names/mesh';
import type { PlatformSpec } from '../description/types';
import type { PlatformDeployment } from './platform-deployment';
import { StatusRead } from './status-read';

/** The ingress Service as `namespace/name`, and its external address (IP or host name) when the cluster reports one. */
export interface IngressAddress {
  readonly service?: pulumi.Output<string>;
  readonly address?: pulumi.Output<string | undefined>;
}

/** A Gateway's `status.addresses` (Gateway API v1). */
interface GatewayStatus {
  readonly addresses?: readonly { readonly type?: string; readonly value: string }[];
}

/** The installed ingress gateway's Service (`namespace/name`, from its Helm release) and its load-balancer address. */
export function installedGatewayAddress(service: pulumi.Output<string>, installation: pulumi.Resource, provider: k8s.Provider): IngressAddress {
  const live = k8s.core.v1.Service.get('ingress-gateway', service, { provider, dependsOn: [installation] });
  return { service, address: live.status.loadBalancer.ingress.apply((ingress) => ingress?.[0]?.ip ?? ingress?.[0]?.hostname) };
}

/** The Service Istio creates for the platform's Gateway and the Gateway's address; nothing if no service is exposed. */
export function gatewayApiAddress(spec: PlatformSpec, platform: PlatformDeployment, provider: k8s.Provider): IngressAddress {
  const gateway = platform.resourceOf({ apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'Gateway', metadata: { namespace: spec.namespace, name: spec.gateway.name } });
  if (!gateway) return {};
  const { namespace, name } = ingressGatewayService(spec);
  // The id comes from the applied Gateway: read once it exists (after it is created, and not in a first preview).
  const live = new StatusRead<GatewayStatus>('ingress-gateway', { apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: 'Gateway' }, gateway.id, { provider });
  return { service: pulumi.output(`${namespace}/${name}`), address: live.status.apply((status) => status?.addresses?.[0]?.value) };
}
