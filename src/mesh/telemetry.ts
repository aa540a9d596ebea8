/**
 * Namespace-wide telemetry: the environment's trace sampling rate and, when it names a trace backend, the OpenTelemetry
 * provider Istio's mesh config defines for it (src/observability/tracing.ts). In ambient the waypoint, the namespace's
 * L7 proxy, is one of the namespace's proxies, so this one object covers it (istiod applies a namespace-wide Telemetry
 * to every proxy whose config namespace it is, `applicableTelemetries` in pilot/pkg/model/telemetry.go); a second
 * selector-less object for it would make the two ambiguous (istioctl analyze's IST0160). ztunnel reports L4 metrics
 * only and makes no spans.
 */
import { Construct } from 'constructs';
import { Telemetry, type TelemetrySpecTracing } from '../../imports/telemetry.istio.io';
import { TRACING_PROVIDER } from '../observability/tracing';
import { platformLabels } from '../description/names/labels';
import type { PlatformProps } from '../constructs/platform-props';

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
    new Telemetry(this, 'Telemetry', { metadata: { name: 'default', namespace: platform.namespace, labels: platformLabels(platform) }, spec: { tracing } });
  }
}
