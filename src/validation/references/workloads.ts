import type { Context } from '../context';
import {
  containersOf, type ContainerAt, type Entry, formatLabels, labelSelector, podTemplateOf, type PodTemplate, selects,
} from '../inventory';
import { isBuiltInGroup, PORT_NAME_PATTERN } from '../schema/registry';
import { at, type Json, record, records, str, stringMap } from '../shapes';

/** Kinds an HPA can scale (those with a `scale` subresource among the built-in kinds). */
const SCALABLE = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

/** Checks Services, workloads, HPAs, PDBs and service accounts against each other. */
export function checkWorkloadReferences(context: Context): void {
  for (const entry of context.inventory.entries) {
    if (entry.kind === 'Service') checkService(context, entry);
    else if (entry.kind === 'HorizontalPodAutoscaler') checkAutoscaler(context, entry);
    else if (entry.kind === 'PodDisruptionBudget') checkDisruptionBudget(context, entry);
    const template = podTemplateOf(entry);
    if (!template) continue;
    checkOwnSelector(context, template);
    checkServiceAccount(context, template);
    for (const container of containersOf(template)) checkProbePorts(context, template, container);
  }
}

function checkService(context: Context, entry: Entry): void {
  const spec = record(entry.object.spec);
  const selector = stringMap(spec.selector);
  if (spec.type === 'ExternalName' || Object.keys(selector).length === 0) return;
  const selected = context.inventory.selected(entry.effectiveNamespace, { matchLabels: selector });
  if (selected.length === 0) {
    context.report(entry, 'ref-service-selector', 'spec.selector',
      `selector ${formatLabels(selector)} matches no pod template in namespace ${entry.effectiveNamespace}`);
    return;
  }
  records(spec.ports).forEach((port, i) => {
    const targetPort = port.targetPort ?? port.port;
    if (!isPortReference(targetPort)) return;
    for (const template of selected) {
      const declared = containersOf(template).filter((c) => c.regular).flatMap((c) => records(c.container.ports));
      if (!declared.some((declaredPort) => portMatches(declaredPort, targetPort))) {
        context.report(entry, 'ref-service-target-port', at('spec.ports', i, port.targetPort === undefined ? 'port' : 'targetPort'),
          `targetPort ${JSON.stringify(targetPort)} is not declared by the containers of ${template.entry.kind} ${template.entry.effectiveNamespace}/${template.entry.name} (ports: ${describePorts(declared)})`);
      }
    }
  });
}

const PORT_NAME = new RegExp(PORT_NAME_PATTERN, 'u');

/** A port the schema accepts (1..65535, or a valid port name); an invalid one is a schema error, not repeated here. */
function isPortReference(port: unknown): port is string | number {
  return (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) || (typeof port === 'string' && PORT_NAME.test(port));
}

function portMatches(declared: Json, port: string | number): boolean {
  return typeof port === 'number' ? declared.containerPort === port : declared.name === port;
}

function describePorts(ports: readonly Json[]): string {
  return ports.map((port) => (port.name ? `${port.containerPort}/${port.name}` : String(port.containerPort))).join(', ') || 'none';
}

function checkOwnSelector(context: Context, template: PodTemplate): void {
  const { entry } = template;
  const spec = record(entry.object.spec);
  if (entry.kind === 'Pod' || entry.kind === 'CronJob' || spec.selector === undefined) return;
  const selector = entry.kind === 'ReplicationController' ? { matchLabels: stringMap(spec.selector) } : labelSelector(spec.selector);
  if (!selects(selector, template.labels)) {
    context.report(entry, 'ref-workload-selector', 'spec.selector',
      `selector does not match the pod template labels (${formatLabels(template.labels) || 'none'}); the API server rejects this`);
  }
}

function checkAutoscaler(context: Context, entry: Entry): void {
  const target = record(record(entry.object.spec).scaleTargetRef);
  const kind = str(target.kind);
  const name = str(target.name);
  if (!kind || !name || context.isExternalNamespace(entry.effectiveNamespace ?? '')) return;
  const scaled = context.inventory.find(kind, entry.effectiveNamespace, name);
  if (!scaled) {
    context.report(entry, 'ref-hpa-target', 'spec.scaleTargetRef',
      `scaleTargetRef ${kind}/${name} not found in namespace ${entry.effectiveNamespace}`);
  } else if (isBuiltInGroup(scaled.group) && !SCALABLE.includes(kind)) {
    // Custom resources (an Argo Rollout, …) may have a scale subresource; the built-in kinds that have one are SCALABLE.
    context.report(entry, 'ref-hpa-target', 'spec.scaleTargetRef',
      `scaleTargetRef ${kind}/${name}: a ${kind} cannot be scaled (no scale subresource; scalable: ${SCALABLE.join(', ')})`);
  }
}

function checkDisruptionBudget(context: Context, entry: Entry): void {
  if (record(entry.object.spec).selector == null) {
    context.report(entry, 'ref-pdb-selector', 'spec.selector',
      'no selector: a policy/v1 PodDisruptionBudget without one selects no pods (an empty selector {} selects them all)');
    return;
  }
  const selector = labelSelector(record(entry.object.spec).selector);
  if (context.inventory.selected(entry.effectiveNamespace, selector).length === 0) {
    context.report(entry, 'ref-pdb-selector', 'spec.selector',
      `selector ${formatLabels(selector.matchLabels ?? {}) || '(expressions)'} matches no pod template in namespace ${entry.effectiveNamespace}`);
  }
}

function checkServiceAccount(context: Context, template: PodTemplate): void {
  const name = str(template.spec.serviceAccountName) ?? str(template.spec.serviceAccount);
  const namespace = template.entry.effectiveNamespace ?? 'default';
  if (!name || name === 'default' || context.isExternalNamespace(namespace)) return;
  if (!context.inventory.find('ServiceAccount', namespace, name)) {
    const field = template.spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount';
    context.report(template.entry, 'ref-service-account', at(template.specPath, field),
      `ServiceAccount "${name}" not found in namespace ${namespace}`);
  }
}

function checkProbePorts(context: Context, template: PodTemplate, { container, path, regular }: ContainerAt): void {
  if (!regular) return;
  const declared = records(container.ports);
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const handler = record(container[probe]);
    for (const action of ['httpGet', 'tcpSocket', 'grpc']) {
      const port = record(handler[action]).port;
      if (!isPortReference(port)) continue;
      const matching = declared.filter((declaredPort) => portMatches(declaredPort, port));
      if (matching.length === 0) {
        context.report(template.entry, 'ref-probe-port', at(path, probe, action, 'port'),
          `${probe} port ${JSON.stringify(port)} is not declared by container "${str(container.name) ?? ''}" (ports: ${describePorts(declared)})`);
      } else if (matching.every((declaredPort) => (str(declaredPort.protocol) ?? 'TCP') !== 'TCP')) {
        // tcpSocket, httpGet and grpc probes connect over TCP: a port declared only as UDP (or SCTP) never answers.
        context.report(template.entry, 'ref-probe-port', at(path, probe, action, 'port'),
          `${probe} ${action} connects over TCP, but container "${str(container.name) ?? ''}" declares port ${JSON.stringify(port)} as ${str(matching[0].protocol)} only`,
          { hint: 'probe a TCP port, declare the port for TCP too, or use an exec probe' });
      }
    }
  }
}
