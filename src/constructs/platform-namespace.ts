/** The services' namespace: sidecar injection on (or ambient mode), Pod Security admission labels set. */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { DATAPLANE_MODE_LABEL, GATEWAY_API_CHANNEL_LABEL, SIDECAR_INJECTION_LABEL } from '../description/names/mesh';
import { ENVIRONMENT_LABEL, platformLabels, PRODUCTION_LABEL } from '../description/names/labels';
import type { PlatformProps } from './platform-props';

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

/** The Namespace all services live in. */
export class PlatformNamespace extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    new kplus.Namespace(this, 'Namespace', {
      metadata: {
        name: platform.namespace,
        labels: {
          ...platformLabels(platform),
          // Ambient pods carry nothing of Istio (no init container), so "restricted" is enforced with no exception.
          ...(platform.mesh.dataPlane === 'ambient' ? { [DATAPLANE_MODE_LABEL]: 'ambient' } : { [SIDECAR_INJECTION_LABEL]: 'enabled' }),
          ...podSecurityLabels(platform.istio.cni),
          [ENVIRONMENT_LABEL]: platform.environment,
          [PRODUCTION_LABEL]: String(platform.production),
          // Tells the validator to check the routes against the experimental channel's CRDs (with HTTPRoute retry).
          ...(platform.mesh.gatewayApiChannel === 'experimental' ? { [GATEWAY_API_CHANNEL_LABEL]: 'experimental' } : {}),
        },
      },
    });
  }
}
