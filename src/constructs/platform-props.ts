import type { PlatformSpec } from '../description/types';

/** Props of every platform-wide construct (namespace, policies, ingress, telemetry). */
export interface PlatformProps {
  /** The resolved platform of one environment. */
  readonly platform: PlatformSpec;
}
