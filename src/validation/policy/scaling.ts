import type { Context } from '../context';
import { type Entry, labelSelector } from '../inventory';
import { num, record, str } from '../shapes';

/** Workload kinds whose availability the production rules look at. */
const SERVING = ['Deployment', 'StatefulSet'];

/**
 * Replicas, autoscaling and disruption budgets: in production namespaces every serving workload runs at least two pods
 * (replicas, or its autoscaler's minimum: an HPA's minReplicas, a KEDA ScaledObject's minReplicaCount) and is covered
 * by a PodDisruptionBudget; everywhere, a workload scaled by an autoscaler leaves spec.replicas to it.
 */
export function checkScaling(context: Context): void {
  const autoscalers = autoscalersByTarget(context);
  const budgeted = new Map<string, ReadonlySet<Entry>>();
  for (const entry of context.inventory.entries) {
    if (!SERVING.includes(entry.kind)) continue;
    const spec = record(entry.object.spec);
    const autoscaler = autoscalers.get(targetKey(entry.effectiveNamespace, entry.kind, entry.name));
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
    const namespace = entry.effectiveNamespace ?? '';
    if (!budgeted.has(namespace)) budgeted.set(namespace, workloadsWithBudget(context, namespace));
    const covered = budgeted.get(namespace)?.has(entry);
    if (!covered) {
      context.report(entry, 'policy-production-pdb', '', `no PodDisruptionBudget selects the pods of this ${entry.kind} in production`);
    }
  }
}

/** KEDA's ScaledObject, which scales its target through an HPA of its own. */
const SCALED_OBJECT = 'ScaledObject';

const targetKey = (namespace: string | undefined, kind: string | undefined, name: string | undefined): string => `${namespace}|${kind}|${name}`;

/**
 * The autoscalers of the input (an HPA, or a KEDA ScaledObject, whose target kind defaults to Deployment) by the
 * namespace, kind and name of what they scale; the first HPA, else the first ScaledObject, where several do.
 */
function autoscalersByTarget(context: Context): Map<string, Entry> {
  const byTarget = new Map<string, Entry>();
  for (const kind of ['HorizontalPodAutoscaler', SCALED_OBJECT]) {
    for (const namespace of context.inventory.namespaces) {
      for (const autoscaler of context.inventory.ofKind(kind, namespace)) {
        const target = record(record(autoscaler.object.spec).scaleTargetRef);
        const key = targetKey(namespace, str(target.kind) ?? (kind === SCALED_OBJECT ? 'Deployment' : undefined), str(target.name));
        if (!byTarget.has(key)) byTarget.set(key, autoscaler);
      }
    }
  }
  return byTarget;
}

/** The workloads of `namespace` whose pods a PodDisruptionBudget selects (policy/v1: one without a selector selects none). */
function workloadsWithBudget(context: Context, namespace: string): ReadonlySet<Entry> {
  const covered = new Set<Entry>();
  for (const budget of context.inventory.ofKind('PodDisruptionBudget', namespace)) {
    const selector = record(budget.object.spec).selector;
    if (selector == null) continue;
    for (const template of context.inventory.selected(namespace, labelSelector(selector))) covered.add(template.entry);
  }
  return covered;
}
