import type { PlatformSpec } from '../description/types';

/** Props of the constructs that need the environment's Prometheus (monitors, rules, KEDA triggers). */
export interface ObservabilityProps {
  /** The resolved platform of one environment. */
  readonly platform: PlatformSpec;
  /** Its Prometheus: `platform.observability.prometheus`, known to be set. */
  readonly prometheus: NonNullable<PlatformSpec['observability']['prometheus']>;
}
