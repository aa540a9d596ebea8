/**
 * What Flagger (v1.44.0, read in its source) writes on objects the program applies, so that `pulumi up` leaves it
 * alone (`ignoreChanges`) rather than fight the controller on every deploy:
 * - the Canary's target Deployment: `spec.replicas`, which Flagger patches to 0 once the primary is promoted and back
 *   up when a canary starts (pkg/canary/deployment_controller.go, `ScaleToZero`, `ScaleFromZero`, `scale`);
 * - the target's ScaledObject (`autoscalerRef` kind ScaledObject): the annotation `autoscaling.keda.sh/paused-replicas`,
 *   which pauses KEDA while the canary is scaled to zero (pkg/canary/scaled_object_reconciler.go,
 *   `PauseTargetScaler`, `ResumeTargetScaler`). An HPA autoscalerRef is left untouched (hpa_reconciler.go).
 * Everything else Flagger writes is on objects it creates (`<name>-primary`, its Services and routes) or in the
 * Canary's `status` subresource, which an apply does not send.
 */
import type { KubernetesObject } from './kubernetes-object';

/** The Deployment field Flagger scales. */
export const FLAGGER_SCALED_FIELD = 'spec.replicas';
/** KEDA's pause annotation, as a Pulumi property path. */
export const KEDA_PAUSE_FIELD = 'metadata.annotations["autoscaling.keda.sh/paused-replicas"]';

interface CanaryRefs {
  readonly targetRef?: { readonly kind?: string; readonly name?: string };
  readonly autoscalerRef?: { readonly kind?: string; readonly name?: string };
}

/**
 * The fields of each object that Flagger writes, by `Kind namespace/name`, for the Canaries among `objects`; an
 * object no Canary refers to has none.
 */
export function flaggerWrittenFields(objects: readonly KubernetesObject[]): (object: KubernetesObject) => readonly string[] {
  const fields = new Map<string, string[]>();
  const key = (kind: string | undefined, namespace: string | undefined, name: string | undefined) => `${kind} ${namespace ?? ''}/${name}`;
  for (const canary of objects.filter((o) => o.kind === 'Canary' && o.apiVersion.startsWith('flagger.app/'))) {
    const { targetRef, autoscalerRef } = (canary.spec ?? {}) as CanaryRefs;
    const namespace = canary.metadata.namespace;
    if (targetRef?.kind === 'Deployment') fields.set(key('Deployment', namespace, targetRef.name), [FLAGGER_SCALED_FIELD]);
    if (autoscalerRef?.kind === 'ScaledObject') fields.set(key('ScaledObject', namespace, autoscalerRef.name), [KEDA_PAUSE_FIELD]);
  }
  return (object) => fields.get(key(object.kind, object.metadata.namespace, object.metadata.name)) ?? [];
}
