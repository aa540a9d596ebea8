import type { KubeObject, ObjectSource } from './types';
import { impliedObjects } from './implied-objects';
import { at, type Json, record, records, str, stringMap } from './shapes';

/** Kinds that have no namespace (the common built-in ones; custom resources are assumed namespaced). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'CustomResourceDefinition',
  'PriorityClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'CSIDriver', 'CSINode', 'RuntimeClass', 'IngressClass',
  'VolumeAttachment', 'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration', 'ComponentStatus',
  'StorageVersion', 'ClusterTrustBundle', 'GatewayClass',
]);

/** Workload kinds whose pod template is at `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** One input object with what the rules need to know about it. */
export interface Entry {
  readonly object: KubeObject;
  /** Position in the input. */
  readonly index: number;
  readonly kind: string;
  readonly name: string;
  /** API group (`` for core, `apps`, `networking.istio.io`, …). */
  readonly group: string;
  /** The namespace as written (for findings). */
  readonly namespace?: string;
  /** The namespace it lands in: as written, `default` when a namespaced object omits it, undefined when cluster-scoped. */
  readonly effectiveNamespace?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly source?: ObjectSource;
  /** The input object whose controller creates this one (e.g. Flagger's Canary); absent for input objects. */
  readonly impliedBy?: Entry;
}

/** A pod template and where it sits in its workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod). */
export interface PodTemplate {
  readonly entry: Entry;
  readonly labels: Record<string, string>;
  /** Annotations of the pod template (AppArmor profiles live there). */
  readonly annotations: Record<string, string>;
  readonly spec: Json;
  /** Path of the pod spec in the object, e.g. `spec.template.spec`. */
  readonly specPath: string;
}

/** A container of a pod template with its path, e.g. `spec.template.spec.containers[0]`. */
export interface ContainerAt {
  readonly container: Json;
  readonly path: string;
  /** Init and ephemeral containers take no probes. */
  readonly regular: boolean;
  /** Ephemeral (debug) containers take no probes, ports or resources either: they use what the pod has. */
  readonly ephemeral: boolean;
}

/** Each entry's pod template, read once: five rules and the inventory ask for it. */
const templateOfEntry = new WeakMap<Entry, PodTemplate | null>();

/** The pod template of a workload object, if it has one. */
export function podTemplateOf(entry: Entry): PodTemplate | undefined {
  let template = templateOfEntry.get(entry);
  if (template === undefined) {
    template = readPodTemplate(entry) ?? null;
    templateOfEntry.set(entry, template);
  }
  return template ?? undefined;
}

function readPodTemplate(entry: Entry): PodTemplate | undefined {
  const object = entry.object as Json;
  const spec = record(object.spec);
  if (entry.kind === 'Pod') return { entry, labels: entry.labels, annotations: entry.annotations, spec, specPath: 'spec' };
  const templateAt = (template: unknown, path: string): PodTemplate => ({
    entry,
    labels: stringMap(record(record(template).metadata).labels),
    annotations: stringMap(record(record(template).metadata).annotations),
    spec: record(record(template).spec),
    specPath: at(path, 'spec'),
  });
  if (TEMPLATE_KINDS.has(entry.kind)) {
    return spec.template === undefined ? undefined : templateAt(spec.template, 'spec.template');
  }
  if (entry.kind === 'CronJob') {
    const template = record(record(spec.jobTemplate).spec).template;
    return template === undefined ? undefined : templateAt(template, 'spec.jobTemplate.spec.template');
  }
  return undefined;
}

/** Each template's containers, read once. */
const containersOfTemplate = new WeakMap<PodTemplate, readonly ContainerAt[]>();

/** Every container of a pod spec: containers, initContainers, ephemeralContainers. */
export function containersOf(template: PodTemplate): readonly ContainerAt[] {
  let containers = containersOfTemplate.get(template);
  if (!containers) {
    containers = readContainers(template);
    containersOfTemplate.set(template, containers);
  }
  return containers;
}

function readContainers(template: PodTemplate): ContainerAt[] {
  const list = (field: string, regular: boolean): ContainerAt[] => records(template.spec[field]).map((container, i) =>
    ({ container, path: at(template.specPath, field, i), regular, ephemeral: field === 'ephemeralContainers' }));
  return [...list('containers', true), ...list('initContainers', false), ...list('ephemeralContainers', false)];
}

/** A Kubernetes label selector: `matchLabels` and `matchExpressions`. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

/** Reads a `{matchLabels, matchExpressions}` selector. */
export function labelSelector(value: unknown): LabelSelector {
  const selector = record(value);
  return {
    matchLabels: stringMap(selector.matchLabels),
    matchExpressions: records(selector.matchExpressions).map((expression) => ({
      key: str(expression.key) ?? '',
      operator: str(expression.operator) ?? '',
      values: Array.isArray(expression.values) ? expression.values.map(String) : [],
    })),
  };
}

/** Whether `labels` satisfy `selector` (an empty selector matches everything, as in Kubernetes). */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Formats a label map as `a=1, b=2` for messages. */
export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(', ');
}

/** Indexes of the input that the reference and policy rules query. */
export class Inventory {
  readonly entries: readonly Entry[];
  /** Pod templates of all workloads, by effective namespace. */
  private readonly templatesByNamespace = new Map<string, PodTemplate[]>();
  /**
   * Pod templates by namespace (`` for every namespace) and label (`key=value`), in input order: a selector is matched
   * against the templates having one of its labels, not all of them (linear, not quadratic, in the input's size).
   */
  private readonly templatesByLabel = new Map<string, PodTemplate[]>();
  private readonly byKindNamespace = new Map<string, Entry[]>();
  private readonly byIdentity = new Map<string, Entry>();
  private readonly byKind = new Map<string, readonly Entry[]>();
  private everyTemplate?: readonly PodTemplate[];
  /** Every namespace some object is in or that a Namespace object declares. */
  readonly namespaces = new Set<string>();

  constructor(objects: readonly KubeObject[], sources: readonly (ObjectSource | undefined)[] = []) {
    this.entries = objects.map((object, index) => toEntry(object, index, sources[index]));
    // What controllers create from the input (./implied-objects.ts) is found and selected like the input, never listed.
    const implied = impliedObjects(objects).map(({ object, impliedBy }) =>
      ({ ...toEntry(object, impliedBy, undefined), impliedBy: this.entries[impliedBy] }));
    for (const entry of [...this.entries, ...implied]) {
      const namespace = entry.effectiveNamespace ?? '';
      push(this.byKindNamespace, `${entry.kind}|${namespace}`, entry);
      if (!this.byIdentity.has(identity(entry.kind, namespace, entry.name))) {
        this.byIdentity.set(identity(entry.kind, namespace, entry.name), entry);
      }
      if (entry.effectiveNamespace) this.namespaces.add(entry.effectiveNamespace);
      if (entry.kind === 'Namespace') this.namespaces.add(entry.name);
      const template = podTemplateOf(entry);
      if (template && entry.effectiveNamespace) {
        push(this.templatesByNamespace, entry.effectiveNamespace, template);
        for (const [key, value] of Object.entries(template.labels)) {
          push(this.templatesByLabel, labelKey(entry.effectiveNamespace, key, value), template);
          push(this.templatesByLabel, labelKey('', key, value), template);
        }
      }
    }
  }

  /** Objects of `kind` in `namespace` (`` for cluster-scoped kinds). */
  ofKind(kind: string, namespace = ''): readonly Entry[] {
    return this.byKindNamespace.get(`${kind}|${namespace}`) ?? [];
  }

  /** Every object of `kind`, in any namespace. */
  allOfKind(kind: string): readonly Entry[] {
    let found = this.byKind.get(kind);
    if (!found) {
      found = this.entries.filter((entry) => entry.kind === kind);
      this.byKind.set(kind, found);
    }
    return found;
  }

  /** The object of `kind` named `name` in `namespace`, if the input has it. */
  find(kind: string, namespace: string | undefined, name: string): Entry | undefined {
    return this.byIdentity.get(identity(kind, namespace ?? '', name));
  }

  /** Pod templates in `namespace`. */
  templates(namespace: string | undefined): readonly PodTemplate[] {
    return namespace ? (this.templatesByNamespace.get(namespace) ?? []) : [];
  }

  /** Pod templates in `namespace` whose labels satisfy `selector`. */
  selected(namespace: string | undefined, selector: LabelSelector): PodTemplate[] {
    if (!namespace) return [];
    return this.candidates(namespace, selector.matchLabels, () => this.templates(namespace)).filter((template) => selects(selector, template.labels));
  }

  /** Pod templates of every workload in the input. */
  allTemplates(): readonly PodTemplate[] {
    this.everyTemplate ??= [...this.templatesByNamespace.values()].flat();
    return this.everyTemplate;
  }

  /** Whether the pod template of some workload of the input, in any namespace, has all of `labels`. */
  anySelected(labels: Record<string, string>): boolean {
    return this.candidates('', labels, () => this.allTemplates()).some((template) => selects({ matchLabels: labels }, template.labels));
  }

  /** The templates that may match `matchLabels` (in `namespace`, `` for all): those with its rarest label, else `all`. */
  private candidates(namespace: string, matchLabels: Record<string, string> | undefined, all: () => readonly PodTemplate[]): readonly PodTemplate[] {
    let fewest: readonly PodTemplate[] | undefined;
    for (const [key, value] of Object.entries(matchLabels ?? {})) {
      const withLabel = this.templatesByLabel.get(labelKey(namespace, key, value)) ?? [];
      if (!fewest || withLabel.length < fewest.length) fewest = withLabel;
    }
    return fewest ?? all();
  }
}

function labelKey(namespace: string, key: string, value: string): string {
  return `${namespace}|${key}=${value}`;
}

function identity(kind: string, namespace: string, name: string): string {
  return `${kind}|${namespace}|${name}`;
}

/** Adds `value` to the list of `key` in `map`. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function toEntry(object: KubeObject, index: number, source: ObjectSource | undefined): Entry {
  const metadata = record(object.metadata);
  const kind = str(object.kind) ?? '';
  const apiVersion = str(object.apiVersion) ?? '';
  const namespace = str(metadata.namespace);
  const clusterScoped = CLUSTER_SCOPED.has(kind);
  return {
    object,
    index,
    kind,
    name: str(metadata.name) ?? '',
    group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '',
    namespace: clusterScoped ? undefined : namespace,
    effectiveNamespace: clusterScoped ? undefined : (namespace ?? 'default'),
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    source,
  };
}
