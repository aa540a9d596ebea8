import type { Context } from '../context';
import { type Entry, labelSelector, podTemplateOf, selects } from '../inventory';
import { num, record, str } from '../shapes';

/** Workload kinds whose availability the production rules look at. */
const SERVING = ['Deployment', 'StatefulSet'];

/**
 * Replicas, autoscaling and disruption budgets: in production namespaces every serving workload runs at least two pods
 * (replicas or its HPA's minReplicas) and is covered by a PodDisruptionBudget; everywhere, a workload scaled by an HPA
 * leaves spec.replicas to it.
 */
export function checkScaling(context: Context): void {
  for (const entry of context.inventory.entries) {
    if (!SERVING.includes(entry.kind)) continue;
    const spec = record(entry.object.spec);
    const autoscaler = autoscalerOf(context, entry);
    if (autoscaler && spec.replicas !== undefined) {
      context.report(entry, 'policy-hpa-replicas', 'spec.replicas',
        `spec.replicas is set although HorizontalPodAutoscaler ${autoscaler.name} scales this ${entry.kind}; every apply would reset the replica count`);
    }
    if (!context.isProduction(entry.effectiveNamespace)) continue;
    const replicas = num(spec.replicas) ?? 1;
    const minReplicas = autoscaler ? (num(record(autoscaler.object.spec).minReplicas) ?? 1) : undefined;
    if ((minReplicas ?? replicas) < 2) {
      context.report(entry, 'policy-production-replicas', 'spec.replicas',
        autoscaler
          ? `runs as few as ${minReplicas} replica in production (HorizontalPodAutoscaler ${autoscaler.name} has minReplicas ${minReplicas}); one node drain takes it down`
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

/** The HPA of the input that scales `entry`, if any. */
function autoscalerOf(context: Context, entry: Entry): Entry | undefined {
  return context.inventory.ofKind('HorizontalPodAutoscaler', entry.effectiveNamespace).find((autoscaler) => {
    const target = record(record(autoscaler.object.spec).scaleTargetRef);
    return str(target.kind) === entry.kind && str(target.name) === entry.name;
  });
}
