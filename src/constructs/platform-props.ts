import type { PlatformSpec } from '../spec/types';

/** Props of every platform-wide construct (namespace, policies, ingress, telemetry). */
export interface PlatformProps {
  /** The resolved platform of one environment. */
  readonly platform: PlatformSpec;
}
