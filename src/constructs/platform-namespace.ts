/** The services' namespace: sidecar injection on (or ambient mode), Pod Security admission labels set. */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { DATAPLANE_MODE_LABEL, GATEWAY_API_CHANNEL_LABEL, SIDECAR_INJECTION_LABEL } from '../description/names/mesh';
import { ENVIRONMENT_LABEL, platformLabels, PRODUCTION_LABEL } from '../description/names/labels';
import type { GatewayApiChannel } from '../description/modes';
import type { DataPlane } from './microservice-props';
import { placement, propsContext, type PlacementProps } from './placement';

/** Kubernetes minor version the Pod Security labels pin, so that admission does not change under an upgrade. */
const POD_SECURITY_VERSION = 'v1.27';

/**
 * Pod Security admission labels. Istio's `istio-init` container needs NET_ADMIN and NET_RAW, which "restricted"
 * forbids; only with Istio's CNI plugin (no init container) can the namespace enforce "restricted". Without it the
 * namespace only warns and audits, and the pods themselves still meet "restricted".
 */
export function podSecurityLabels(istioCni: boolean): Record<string, string> {
  const labels: Record<string, string> = {
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': POD_SECURITY_VERSION,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': POD_SECURITY_VERSION,
  };
  if (istioCni) {
    labels['pod-security.kubernetes.io/enforce'] = 'restricted';
    labels['pod-security.kubernetes.io/enforce-version'] = POD_SECURITY_VERSION;
  }
  return labels;
}

/** Props of `PlatformNamespace`. */
export interface PlatformNamespaceProps extends PlacementProps {
  /** Istio data plane of the namespace's pods: `sidecar` (injection on) or `ambient`. @default "sidecar" */
  readonly dataPlane?: DataPlane;
  /**
   * Istio runs with its CNI plugin, so the namespace enforces Pod Security "restricted" (without it, it only warns
   * and audits: `istio-init` needs NET_ADMIN). @default true
   */
  readonly istioCni?: boolean;
  /** Environment name, the `mesh-platform.io/environment` label. @default the namespace */
  readonly environment?: string;
  /** Whether this is a production namespace, the `mesh-platform.io/production` label. @default false */
  readonly production?: boolean;
  /** Gateway API channel of the cluster's CRDs, labelled for the validator when `experimental`. @default "standard" */
  readonly gatewayApiChannel?: GatewayApiChannel;
}

/**
 * The Namespace the services live in: in the mesh, with Pod Security admission labels.
 *
 * @example
 * const chart = new Chart(app, 'team-a', { namespace: 'team-a' });
 * new PlatformNamespace(chart, 'namespace', { dataPlane: 'ambient', environment: 'qa' });
 */
export class PlatformNamespace extends Construct {
  /** The Namespace. */
  readonly namespace: kplus.Namespace;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps = {}) {
    super(scope, id);
    const platform = placement(propsContext(this, 'PlatformNamespace', props), props);
    this.namespace = new kplus.Namespace(this, 'Namespace', {
      metadata: {
        name: platform.namespace,
        labels: {
          ...platformLabels(platform),
          // Ambient pods carry nothing of Istio (no init container), so "restricted" is enforced with no exception.
          ...(props.dataPlane === 'ambient' ? { [DATAPLANE_MODE_LABEL]: 'ambient' } : { [SIDECAR_INJECTION_LABEL]: 'enabled' }),
          ...podSecurityLabels(props.istioCni ?? true),
          [ENVIRONMENT_LABEL]: props.environment ?? platform.namespace,
          [PRODUCTION_LABEL]: String(props.production ?? false),
          // Tells the validator to check the routes against the experimental channel's CRDs (with HTTPRoute retry).
          ...(props.gatewayApiChannel === 'experimental' ? { [GATEWAY_API_CHANNEL_LABEL]: 'experimental' } : {}),
        },
      },
    });
  }
}
