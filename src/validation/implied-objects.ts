/**
 * Objects a controller will create from an input object, which the input's other objects may name or select: what
 * Flagger v1.44.0 creates for each `Canary` (verified in its source: pkg/canary/deployment_controller.go,
 * hpa_reconciler.go, scaled_object_reconciler.go, pkg/router/kubernetes_default.go, istio.go, gateway_api.go).
 * The inventory resolves references and selectors against them as if they were in the input, so an ingress route
 * to the apex Service, a DestinationRule for `<name>-primary` and a policy that must admit the primary's pods are
 * checked rather than reported missing; findings about them are reported on the Canary.
 */
import { type Json, record, records, str, stringMap } from './shapes';
import type { KubeObject } from './types';

/** Flagger's default `-selector-labels`: the first of these in the target's selector is the one it rewrites. */
export const FLAGGER_SELECTOR_LABELS = ['app', 'name', 'app.kubernetes.io/name'] as const;

const primary = (name: string) => `${name}-primary`;

/** `labels` with the selector label set to `value` (Flagger's makePrimaryLabels). */
function relabel(labels: Record<string, string>, label: string, value: string): Record<string, string> {
  return { ...labels, [label]: value };
}

/** Finds the input object of a kind, namespace and name; built once per input, so each Canary's lookups are O(1). */
type Finder = (kind: string, namespace: string, name: string) => Json | undefined;

function finderOf(objects: readonly KubeObject[]): Finder {
  const key = (kind: string, namespace: string, name: string) => `${kind}\0${namespace}\0${name}`;
  const byKey = new Map<string, Json>();
  for (const o of objects) {
    const metadata = record(o.metadata);
    const name = str(metadata.name);
    const k = name === undefined ? undefined : key(String(o.kind), str(metadata.namespace) ?? 'default', name);
    if (k !== undefined && !byKey.has(k)) byKey.set(k, o as Json);
  }
  return (kind, namespace, name) => byKey.get(key(kind, namespace, name));
}

/** The objects Flagger creates for one Canary, given the input it reads (its target Deployment and autoscaler). */
function flaggerObjects(canary: Json, find: Finder): KubeObject[] {
  const metadata = record(canary.metadata);
  const namespace = str(metadata.namespace) ?? 'default';
  const spec = record(canary.spec);
  const targetName = str(record(spec.targetRef).name) ?? '';
  const target = find('Deployment', namespace, targetName);
  if (!target) return [];
  const matchLabels = stringMap(record(record(target.spec).selector).matchLabels);
  const label = FLAGGER_SELECTOR_LABELS.find((l) => matchLabels[l] !== undefined);
  if (!label) return [];
  const value = matchLabels[label];
  const meta = (name: string, extra: Record<string, string> = {}) => ({ name, namespace, labels: extra });
  const service = record(spec.service);
  const apex = str(service.name) ?? targetName;
  const template = record(record(target.spec).template);
  const out: KubeObject[] = [{
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(primary(targetName), relabel(stringMap(record(target.metadata).labels), label, primary(value))),
    spec: {
      ...record(target.spec),
      selector: { matchLabels: { [label]: primary(value) } },
      template: { ...template, metadata: { ...record(template.metadata), labels: relabel(stringMap(record(template.metadata).labels), label, primary(value)) } },
    },
  }];
  const port = { name: str(service.portName) ?? 'http', port: service.port, targetPort: service.targetPort ?? service.port, protocol: 'TCP', ...(service.appProtocol ? { appProtocol: service.appProtocol } : {}) };
  const serviceObject = (name: string, selectorValue: string, custom: unknown): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, { ...stringMap(record(custom).labels), [label]: name }),
    spec: { type: 'ClusterIP', selector: { [label]: selectorValue }, ports: [port] },
  });
  out.push(
    serviceObject(apex, primary(value), service.apex),
    serviceObject(primary(apex), primary(value), service.primary),
    serviceObject(`${apex}-canary`, value, service.canary),
  );
  const scaler = record(spec.autoscalerRef);
  const scalerName = str(scaler.name);
  const scalerKind = str(scaler.kind);
  const scalerObject = scalerName && scalerKind ? find(scalerKind, namespace, scalerName) : undefined;
  if (scalerObject) {
    out.push({
      ...scalerObject,
      metadata: meta(primary(scalerName!), stringMap(record(scalerObject.metadata).labels)),
      spec: { ...record(scalerObject.spec), scaleTargetRef: { ...record(record(scalerObject.spec).scaleTargetRef), name: primary(targetName) } },
    });
  }
  const backends = [primary(apex), `${apex}-canary`];
  if (str(spec.provider) === 'istio' || spec.provider === undefined) {
    const delegated = service.delegation === true;
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(apex),
      spec: {
        hosts: delegated ? [] : [...(Array.isArray(service.hosts) ? service.hosts.map(String) : []), apex],
        ...(delegated ? {} : { gateways: Array.isArray(service.gateways) && service.gateways.length > 0 ? service.gateways.map(String) : ['mesh'] }),
        http: [{
          ...(service.timeout ? { timeout: service.timeout } : {}),
          ...(service.retries ? { retries: service.retries } : {}),
          route: backends.map((host, i) => ({ destination: { host }, weight: i === 0 ? 100 : 0 })),
        }],
      },
    });
    for (const host of backends) {
      out.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta(host), spec: { host, ...(service.trafficPolicy ? { trafficPolicy: service.trafficPolicy } : {}) } });
    }
  } else if (str(spec.provider)?.startsWith('gatewayapi')) {
    out.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta(apex),
      spec: {
        parentRefs: records(service.gatewayRefs),
        ...(Array.isArray(service.hosts) ? { hostnames: service.hosts } : {}),
        rules: [{ backendRefs: backends.map((name, i) => ({ name, port: service.port, weight: i === 0 ? 100 : 0 })) }],
      },
    });
  }
  return out;
}

/** Every object the input implies, with the index of the input object that implies it. */
export function impliedObjects(objects: readonly KubeObject[]): { readonly object: KubeObject; readonly impliedBy: number }[] {
  const isCanary = (object: KubeObject) => object.kind === 'Canary' && str(object.apiVersion)?.startsWith('flagger.app/');
  if (!objects.some(isCanary)) return [];
  const find = finderOf(objects);
  return objects.flatMap((object, index) =>
    isCanary(object) ? flaggerObjects(object as Json, find).map((implied) => ({ object: implied, impliedBy: index })) : []);
}
