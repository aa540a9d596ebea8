/**
 * A generated PodMonitor as the Prometheus Operator turns it into a Prometheus `scrape_config` (its
 * pkg/prometheus/promcfg.go, `generatePodMonitorConfig`), with the pods that Kubernetes service discovery would offer
 * written as static targets carrying the same `__meta_kubernetes_*` labels. The relabelings are the Operator's own
 * (selector keep rules, port keep rule, namespace/container/pod, `podTargetLabels`, job `<namespace>/<name>`,
 * endpoint, then the monitor's `relabelings`) and `honor_labels` is the endpoint's, so a scraped series gets exactly
 * the labels it would get in a cluster, and a clash between the app's labels and the target's shows up here too.
 */
import type { KubeObject } from '../../support/platform';

/** A pod as Kubernetes service discovery sees it: its labels and its containers' named ports at a loopback address. */
export interface DiscoveredPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly containers: readonly { readonly name: string; readonly ports: readonly { readonly name: string; readonly containerPort: number }[] }[];
  /** `host:port` where the pod's container port answers (on loopback, the service process). */
  readonly address: (containerPort: number) => string;
}

/** The Operator's `sanitizeLabelName`: every character outside `[a-zA-Z0-9_]` becomes `_`. */
const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_');

/** The targets pod-role discovery produces: one per container port, with its meta labels. */
function discoveredTargets(pods: readonly DiscoveredPod[]) {
  return pods.flatMap((pod) => pod.containers.flatMap((container) => container.ports.map((port) => ({
    targets: [pod.address(port.containerPort)],
    labels: {
      __meta_kubernetes_namespace: pod.namespace,
      __meta_kubernetes_pod_name: pod.name,
      __meta_kubernetes_pod_phase: 'Running',
      __meta_kubernetes_pod_container_name: container.name,
      __meta_kubernetes_pod_container_port_name: port.name,
      __meta_kubernetes_pod_container_port_number: String(port.containerPort),
      ...Object.fromEntries(Object.entries(pod.labels).flatMap(([key, value]) => [
        [`__meta_kubernetes_pod_label_${sanitize(key)}`, value],
        [`__meta_kubernetes_pod_labelpresent_${sanitize(key)}`, 'true'],
      ])),
    },
  }))));
}

/** A monitor's `relabelings` in Prometheus' spelling. */
function relabelConfig(relabeling: KubeObject): KubeObject {
  const names: Record<string, string> = { sourceLabels: 'source_labels', targetLabel: 'target_label' };
  return Object.fromEntries(Object.entries(relabeling).map(([key, value]) => [names[key] ?? key, value]));
}

/**
 * The scrape configs of one PodMonitor (one per endpoint), over the pods of its namespace (a monitor without a
 * `namespaceSelector` watches only its own namespace).
 */
export function podMonitorScrapeConfigs(monitor: KubeObject, pods: readonly DiscoveredPod[]): KubeObject[] {
  const { namespace, name } = monitor.metadata;
  const spec = monitor.spec;
  const matchLabels: Record<string, string> = spec.selector?.matchLabels ?? {};
  return (spec.podMetricsEndpoints as KubeObject[]).map((endpoint, index) => ({
    job_name: `podMonitor/${namespace}/${name}/${index}`,
    honor_labels: endpoint.honorLabels ?? false,
    ...(endpoint.path ? { metrics_path: endpoint.path } : {}),
    static_configs: discoveredTargets(pods.filter((pod) => pod.namespace === namespace)),
    relabel_configs: [
      { source_labels: ['job'], target_label: '__tmp_prometheus_job_name' },
      { action: 'drop', source_labels: ['__meta_kubernetes_pod_phase'], regex: '(Failed|Succeeded)' },
      ...Object.keys(matchLabels).sort().map((key) => ({
        action: 'keep',
        source_labels: [`__meta_kubernetes_pod_label_${sanitize(key)}`, `__meta_kubernetes_pod_labelpresent_${sanitize(key)}`],
        regex: `(${matchLabels[key]});true`,
      })),
      endpoint.port
        ? { action: 'keep', source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: endpoint.port }
        : { action: 'keep', source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: String(endpoint.portNumber) },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      ...((spec.podTargetLabels ?? []) as string[]).map((label) => ({
        source_labels: [`__meta_kubernetes_pod_label_${sanitize(label)}`], target_label: sanitize(label), regex: '(.+)', replacement: '${1}',
      })),
      { target_label: 'job', replacement: `${namespace}/${name}` },
      ...(endpoint.port ? [{ target_label: 'endpoint', replacement: endpoint.port }] : []),
      ...((endpoint.relabelings ?? []) as KubeObject[]).map(relabelConfig),
    ],
  }));
}
