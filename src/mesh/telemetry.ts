/** Namespace-wide telemetry: the tracing sampling rate of the environment. */
import { Construct } from 'constructs';
import { Telemetry } from '../../imports/telemetry.istio.io';
import { platformLabels } from '../spec/names';
import type { PlatformProps } from '../constructs/platform-props';

/** A Telemetry object that sets trace sampling for every workload in the namespace. */
export class MeshTelemetry extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    new Telemetry(this, 'Telemetry', {
      metadata: { name: 'default', namespace: platform.namespace, labels: platformLabels(platform) },
      spec: { tracing: [{ randomSamplingPercentage: platform.observability.tracing.samplingPercent }] },
    });
  }
}
