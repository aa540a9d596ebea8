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
import { DEFAULT_TRACING, TRACING_PROVIDER, type TracingSpec } from '../observability/tracing';
import { platformLabels } from '../description/names/labels';
import { placement, propsContext, type PlacementProps } from '../constructs/placement';

/** Props of `MeshTelemetry`. */
export interface MeshTelemetryProps extends PlacementProps {
  /** Trace sampling and backend (the description's `observability.tracing`). @default 1% sampling, no backend */
  readonly tracing?: TracingSpec;
}

/**
 * A Telemetry object that sets trace sampling (and the trace provider) for every workload in the namespace.
 *
 * @example
 * new MeshTelemetry(chart, 'telemetry', { tracing: { samplingPercent: 10 } });
 */
export class MeshTelemetry extends Construct {
  /** The Telemetry object. */
  readonly telemetry: Telemetry;

  constructor(scope: Construct, id: string, props: MeshTelemetryProps = {}) {
    super(scope, id);
    const platform = placement(propsContext(this, 'MeshTelemetry', props), props);
    const { backend, samplingPercent } = props.tracing ?? DEFAULT_TRACING;
    const tracing: TelemetrySpecTracing[] = [{
      ...(backend ? { providers: [{ name: TRACING_PROVIDER }] } : {}),
      randomSamplingPercentage: samplingPercent,
    }];
    this.telemetry = new Telemetry(this, 'Telemetry', { metadata: { name: 'default', namespace: platform.namespace, labels: platformLabels(platform) }, spec: { tracing } });
  }
}
