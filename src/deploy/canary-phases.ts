/**
 * The stack output of progressive delivery: each progressive service's Canary phase, read from the cluster after the
 * program applied the Canary (Flagger writes `status.phase`; docs/delivery.md lists the phases).
 */
import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Canary } from '../../imports/flagger.app';
import { isProgressive } from '../description/delivery-schema';
import { logicalName } from './kubernetes-object';
import type { PlatformDeployment } from './platform-deployment';
import { StatusRead } from './status-read';

/** Per progressive service: its Canary's phase, or `Unknown` while Flagger has not reported one. */
export type CanaryPhases = Readonly<Record<string, pulumi.Output<string>>>;

/** Flagger's Canary API, as the chart emits it (the generated binding's). */
const CANARY = { apiVersion: Canary.GVK.apiVersion, kind: Canary.GVK.kind };

/** Reads the phase of every progressive service's Canary that `platform` applied. */
export function canaryPhases(platform: PlatformDeployment, provider: k8s.Provider): CanaryPhases {
  const { spec } = platform;
  return Object.fromEntries(spec.services.filter(isProgressive).flatMap((service) => {
    const metadata = { namespace: spec.namespace, name: service.name };
    const canary = platform.resourceOf({ ...CANARY, metadata });
    if (!canary) return [];
    // The id comes from the applied Canary: read once it exists (after it is applied, and not in a first preview).
    const live = new StatusRead<{ readonly phase?: string }>(`${logicalName({ metadata })}-status`, CANARY, canary.id, { provider });
    return [[service.name, live.status.apply((status) => status?.phase ?? 'Unknown')]];
  }));
}
