/**
 * Kubernetes NetworkPolicy semantics, written from the API reference (networking.k8s.io/v1), for tests that ask "may
 * this pod open a TCP connection to that one on this port?" of synthesized policies: a pod is isolated for a direction
 * when some policy of its namespace selects it and lists that direction in `policyTypes`; an isolated pod allows what
 * any of those policies' rules allows. A rule without `from`/`to` admits every peer, one without `ports` every port.
 */
import type { KubeObject } from './platform';

/** A pod (namespace and labels) or an address outside every pod (`ip`, e.g. the kubelet's probe source). */
export type Endpoint = { readonly namespace: string; readonly labels: Readonly<Record<string, string>> } | { readonly ip: string };

interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** Whether a label selector selects a label set (an empty selector selects everything). */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return key in labels && values.includes(labels[key]);
    if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]);
    return operator === 'Exists' ? key in labels : !(key in labels);
  });
  return byLabels && byExpressions;
}

/** IPv4 only: whether `ip` lies in `cidr`. */
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const value = (address: string) => address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(value(ip) / size) === Math.floor(value(base) / size);
}

/** Whether a rule's peer (`from` or `to` entry) of a policy in `namespace` is `endpoint`. */
function peerMatches(peer: KubeObject, namespace: string, endpoint: Endpoint): boolean {
  if ('ip' in endpoint) return peer.ipBlock !== undefined && inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(endpoint.ip, c));
  if (peer.ipBlock) return false;
  const inNamespace = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': endpoint.namespace })
    : endpoint.namespace === namespace;
  return inNamespace && selectorMatches(peer.podSelector ?? {}, endpoint.labels);
}

const portMatches = (rulePorts: KubeObject[] | undefined, port: number) =>
  rulePorts === undefined || rulePorts.some((p) => (p.protocol ?? 'TCP') === 'TCP' && (p.port === undefined || p.port === port || (p.endPort !== undefined && port >= p.port && port <= p.endPort)));

/** Whether the policies let `pod` send (`Egress`) to or receive (`Ingress`) from `peer` on TCP `port`. */
function allows(policies: readonly KubeObject[], direction: 'Ingress' | 'Egress', pod: Endpoint, peer: Endpoint, port: number): boolean {
  if ('ip' in pod) return true;
  const selecting = policies.filter((p) => p.metadata.namespace === pod.namespace && p.spec.policyTypes.includes(direction) && selectorMatches(p.spec.podSelector, pod.labels));
  if (selecting.length === 0) return true;
  const field = direction === 'Ingress' ? 'from' : 'to';
  return selecting.some((policy) => (policy.spec[direction === 'Ingress' ? 'ingress' : 'egress'] ?? []).some((rule: KubeObject) =>
    (rule[field] === undefined || rule[field].some((p: KubeObject) => peerMatches(p, policy.metadata.namespace, peer))) && portMatches(rule.ports, port)));
}

/** Whether a TCP connection from `source` to `target` on `port` passes both ends: the source's egress, the target's ingress. */
export function admitted(policies: readonly KubeObject[], source: Endpoint, target: Endpoint, port: number): boolean {
  return allows(policies, 'Egress', source, target, port) && allows(policies, 'Ingress', target, source, port);
}
