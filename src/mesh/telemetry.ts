/**
 * Namespace-wide telemetry: the environment's trace sampling rate and, when it names a trace backend, the OpenTelemetry
 * provider Istio's mesh config defines for it (src/observability/tracing.ts). In ambient the waypoint, the namespace's
 * L7 proxy, gets the same by `targetRefs` (ztunnel reports L4 metrics only and makes no spans).
 */
import { Construct } from 'constructs';
import { Telemetry, type TelemetrySpecTracing } from '../../imports/telemetry.istio.io';
import { TRACING_PROVIDER } from '../observability/tracing';
import { platformLabels } from '../spec/names';
import type { PlatformProps } from '../constructs/platform-props';
import { WAYPOINT_TARGET } from './ambient/access-policies';

/** A Telemetry object that sets trace sampling (and the trace provider) for every workload in the namespace. */
export class MeshTelemetry extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const { backend, samplingPercent } = platform.observability.tracing;
    const tracing: TelemetrySpecTracing[] = [{
      ...(backend ? { providers: [{ name: TRACING_PROVIDER }] } : {}),
      randomSamplingPercentage: samplingPercent,
    }];
    const metadata = (name: string) => ({ name, namespace: platform.namespace, labels: platformLabels(platform) });
    new Telemetry(this, 'Telemetry', { metadata: metadata('default'), spec: { tracing } });
    if (platform.mesh.dataPlane === 'ambient') {
      new Telemetry(this, 'WaypointTelemetry', { metadata: metadata('waypoint'), spec: { targetRefs: [WAYPOINT_TARGET], tracing } });
    }
  }
}
