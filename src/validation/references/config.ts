import { EXTERNAL_CONFIGMAPS, EXTERNAL_SECRETS, listAnnotation } from '../annotations';
import type { Context } from '../context';
import { containersOf, podTemplateOf, type PodTemplate } from '../inventory';
import { at, type Json, record, records, str } from '../shapes';

/** A reference from a pod template to a ConfigMap or Secret (optionally to one key of it). */
interface ConfigReference {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly key?: string;
  readonly optional: boolean;
  readonly path: string;
}

/**
 * Checks that the ConfigMaps and Secrets a pod uses (env, envFrom, volumes, projected volumes, imagePullSecrets) exist in
 * its namespace, with the keys it reads, unless marked optional or declared external by the workload's annotations.
 */
export function checkConfigReferences(context: Context): void {
  for (const entry of context.inventory.entries) {
    const template = podTemplateOf(entry);
    if (!template || context.isExternalNamespace(entry.effectiveNamespace ?? '')) continue;
    const external = {
      ConfigMap: listAnnotation(entry.annotations[EXTERNAL_CONFIGMAPS]),
      Secret: listAnnotation(entry.annotations[EXTERNAL_SECRETS]),
    };
    for (const reference of referencesOf(template)) {
      if (reference.optional || external[reference.kind].includes('*') || external[reference.kind].includes(reference.name)) continue;
      const rule = reference.kind === 'ConfigMap' ? 'ref-configmap' : 'ref-secret';
      const target = context.inventory.find(reference.kind, entry.effectiveNamespace, reference.name);
      if (!target) {
        context.report(entry, rule, reference.path,
          `${reference.kind} "${reference.name}" not found in namespace ${entry.effectiveNamespace} (create it, or declare it external with the annotation ${reference.kind === 'Secret' ? EXTERNAL_SECRETS : EXTERNAL_CONFIGMAPS})`);
        continue;
      }
      const keys = dataKeys(target.object as Json);
      if (reference.key !== undefined && !keys.includes(reference.key)) {
        context.report(entry, rule, reference.path,
          `key "${reference.key}" not found in ${reference.kind} ${entry.effectiveNamespace}/${reference.name} (keys: ${keys.join(', ') || 'none'})`);
      }
    }
  }
}

function dataKeys(object: Json): string[] {
  return ['data', 'binaryData', 'stringData'].flatMap((field) => Object.keys(record(object[field])));
}

function referencesOf(template: PodTemplate): ConfigReference[] {
  const references: ConfigReference[] = [];
  const add = (kind: ConfigReference['kind'], source: Json, nameField: string, path: string, key?: string): void => {
    const name = str(source[nameField]);
    if (name) references.push({ kind, name, key, optional: source.optional === true, path: at(path, nameField) });
  };
  for (const { container, path } of containersOf(template)) {
    records(container.env).forEach((variable, i) => {
      const from = record(variable.valueFrom);
      const envPath = at(path, 'env', i, 'valueFrom');
      if (from.configMapKeyRef) add('ConfigMap', record(from.configMapKeyRef), 'name', at(envPath, 'configMapKeyRef'), str(record(from.configMapKeyRef).key));
      if (from.secretKeyRef) add('Secret', record(from.secretKeyRef), 'name', at(envPath, 'secretKeyRef'), str(record(from.secretKeyRef).key));
    });
    records(container.envFrom).forEach((source, i) => {
      if (source.configMapRef) add('ConfigMap', record(source.configMapRef), 'name', at(path, 'envFrom', i, 'configMapRef'));
      if (source.secretRef) add('Secret', record(source.secretRef), 'name', at(path, 'envFrom', i, 'secretRef'));
    });
  }
  records(template.spec.volumes).forEach((volume, i) => {
    const volumePath = at(template.specPath, 'volumes', i);
    if (volume.configMap) add('ConfigMap', record(volume.configMap), 'name', at(volumePath, 'configMap'));
    if (volume.secret) add('Secret', record(volume.secret), 'secretName', at(volumePath, 'secret'));
    records(record(volume.projected).sources).forEach((source, j) => {
      const sourcePath = at(volumePath, 'projected', 'sources', j);
      if (source.configMap) add('ConfigMap', record(source.configMap), 'name', at(sourcePath, 'configMap'));
      if (source.secret) add('Secret', record(source.secret), 'name', at(sourcePath, 'secret'));
    });
  });
  records(template.spec.imagePullSecrets).forEach((secret, i) => add('Secret', secret, 'name', at(template.specPath, 'imagePullSecrets', i)));
  return references;
}
