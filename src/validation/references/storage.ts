/**
 * Storage and StatefulSet references: what a volume mount, a claim and a StatefulSet's governing Service name must
 * exist in the input. Its rules are in the catalogue (rules.ts).
 */
import type { Context } from '../context';
import { containersOf, type Entry, formatLabels, podTemplateOf, type PodTemplate, selects } from '../inventory';
import { at, record, records, str, stringMap } from '../shapes';

/** Checks volume mounts and claims of every pod template, and every StatefulSet's governing Service. */
export function checkStorageReferences(context: Context): void {
  for (const entry of context.inventory.entries) {
    const template = podTemplateOf(entry);
    if (!template) continue;
    checkVolumes(context, template);
    if (entry.kind === 'StatefulSet') checkGoverningService(context, entry, template);
  }
}

function claimTemplateNames(template: PodTemplate): string[] {
  if (template.entry.kind !== 'StatefulSet') return [];
  return records(record(template.entry.object.spec).volumeClaimTemplates).flatMap((claim) => str(record(claim.metadata).name) ?? []);
}

function checkVolumes(context: Context, template: PodTemplate): void {
  const volumes = records(template.spec.volumes);
  const available = [...volumes.flatMap((volume) => str(volume.name) ?? []), ...claimTemplateNames(template)];
  for (const { container, path } of containersOf(template)) {
    records(container.volumeMounts).forEach((mount, i) => {
      const name = str(mount.name);
      if (name !== undefined && !available.includes(name)) {
        context.report(template.entry, 'ref-volume-mount', at(path, 'volumeMounts', i, 'name'),
          `volume "${name}" is not defined by the pod${template.entry.kind === 'StatefulSet' ? ' or a volumeClaimTemplate' : ''} (volumes: ${available.join(', ') || 'none'})`);
      }
    });
  }
  const namespace = template.entry.effectiveNamespace ?? 'default';
  if (context.isExternalNamespace(namespace)) return;
  volumes.forEach((volume, i) => {
    const claim = str(record(volume.persistentVolumeClaim).claimName);
    if (claim !== undefined && !context.inventory.find('PersistentVolumeClaim', namespace, claim)) {
      context.report(template.entry, 'ref-volume-mount', at(template.specPath, 'volumes', i, 'persistentVolumeClaim', 'claimName'),
        `PersistentVolumeClaim "${claim}" not found in namespace ${namespace}`);
    }
  });
}

function checkGoverningService(context: Context, entry: Entry, template: PodTemplate): void {
  const name = str(record(entry.object.spec).serviceName);
  const namespace = entry.effectiveNamespace ?? 'default';
  // serviceName is optional since Kubernetes 1.31 (no per-pod DNS names then).
  if (!name || context.isExternalNamespace(namespace)) return;
  const service = context.inventory.find('Service', namespace, name);
  if (!service) {
    context.report(entry, 'ref-statefulset-service', 'spec.serviceName', `Service "${name}" not found in namespace ${namespace}`);
    return;
  }
  const spec = record(service.object.spec);
  if (spec.clusterIP !== 'None') {
    context.report(entry, 'ref-statefulset-service', 'spec.serviceName',
      `Service ${namespace}/${name} is not headless (clusterIP: ${JSON.stringify(spec.clusterIP ?? 'allocated')}), so the pods get no stable DNS names`);
  }
  const selector = stringMap(spec.selector);
  if (!selects({ matchLabels: selector }, template.labels)) {
    context.report(entry, 'ref-statefulset-service', 'spec.serviceName',
      `Service ${namespace}/${name} selects ${formatLabels(selector) || 'nothing'}, not this StatefulSet's pods (${formatLabels(template.labels)})`);
  }
}
