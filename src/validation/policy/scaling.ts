import type { Context } from '../context';
import { type Entry, labelSelector, podTemplateOf, selects } from '../inventory';
import { num, record, str } from '../shapes';

/** Workload kinds whose availability the production rules look at. */
const SERVING = ['Deployment', 'StatefulSet'];

/**
 * Replicas, autoscaling and disruption budgets: in production namespaces every serving workload runs at least two pods
 * (replicas, or its autoscaler's minimum: an HPA's minReplicas, a KEDA ScaledObject's minReplicaCount) and is covered
 * by a PodDisruptionBudget; everywhere, a workload scaled by an autoscaler leaves spec.replicas to it.
 */
export function checkScaling(context: Context): void {
  for (const entry of context.inventory.entries) {
    if (!SERVING.includes(entry.kind)) continue;
    const spec = record(entry.object.spec);
    const autoscaler = autoscalerOf(context, entry);
    if (autoscaler && spec.replicas !== undefined) {
      context.report(entry, 'policy-hpa-replicas', 'spec.replicas',
        `spec.replicas is set although ${autoscaler.kind} ${autoscaler.name} scales this ${entry.kind}; every apply would reset the replica count`);
    }
    if (!context.isProduction(entry.effectiveNamespace)) continue;
    const replicas = num(spec.replicas) ?? 1;
    const minField = autoscaler?.kind === SCALED_OBJECT ? 'minReplicaCount' : 'minReplicas';
    // KEDA's default minimum is 0 (scale to zero); an HPA's is 1.
    const minReplicas = autoscaler ? (num(record(autoscaler.object.spec)[minField]) ?? (autoscaler.kind === SCALED_OBJECT ? 0 : 1)) : undefined;
    if ((minReplicas ?? replicas) < 2) {
      context.report(entry, 'policy-production-replicas', 'spec.replicas',
        autoscaler
          ? `runs as few as ${minReplicas} replica in production (${autoscaler.kind} ${autoscaler.name} has ${minField} ${minReplicas}); one node drain takes it down`
          : `runs ${replicas} replica in production; one node drain or crash takes it down`);
    }
    const template = podTemplateOf(entry);
    const covered = context.inventory.ofKind('PodDisruptionBudget', entry.effectiveNamespace)
      .some((budget) => {
        // policy/v1: a budget without a selector selects no pods; an empty one selects them all.
        const selector = record(budget.object.spec).selector;
        return template !== undefined && selector != null && selects(labelSelector(selector), template.labels);
      });
    if (!covered) {
      context.report(entry, 'policy-production-pdb', '', `no PodDisruptionBudget selects the pods of this ${entry.kind} in production`);
    }
  }
}

/** KEDA's ScaledObject, which scales its target through an HPA of its own. */
const SCALED_OBJECT = 'ScaledObject';

/** The autoscaler of the input that scales `entry` (an HPA, or a KEDA ScaledObject, whose target kind defaults to Deployment), if any. */
function autoscalerOf(context: Context, entry: Entry): Entry | undefined {
  const autoscalers = [...context.inventory.ofKind('HorizontalPodAutoscaler', entry.effectiveNamespace), ...context.inventory.ofKind(SCALED_OBJECT, entry.effectiveNamespace)];
  return autoscalers.find((autoscaler) => {
    const target = record(record(autoscaler.object.spec).scaleTargetRef);
    const kind = str(target.kind) ?? (autoscaler.kind === SCALED_OBJECT ? 'Deployment' : undefined);
    return kind === entry.kind && str(target.name) === entry.name;
  });
}
