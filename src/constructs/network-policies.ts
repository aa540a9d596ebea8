/**
 * Optional NetworkPolicies, a second wall under the mesh's AuthorizationPolicies: deny all traffic, then allow DNS,
 * the sidecars' connection to istiod, the ingress gateway to exposed services, each caller to its callees and, when
 * `monitoring` is set, Prometheus to the sidecars' metrics.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { ingressPods, platformLabels, serviceSelector } from '../spec/names';
import type { ServiceSpec } from '../spec/types';
import type { PlatformProps } from './platform-props';

/** istiod's xDS and certificate port, which every sidecar dials. */
const ISTIOD_PORT = 15012;
/** The sidecar's merged Prometheus metrics (app and Envoy), where Istio points the `prometheus.io/port` annotation. */
const MERGED_METRICS_PORT = 15020;

const namespaceSelector = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const servicePorts = (service: ServiceSpec) => service.ports.map((port) => tcp(port.port));

/** Default deny plus the allows the mesh needs; every rule is derived from the services' `calls` and `expose`. */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, { metadata: { name, namespace: platform.namespace, labels: platformLabels(platform) }, spec });

    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: namespaceSelector('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, tcp(53)],
      }],
    });
    policy('allow-istiod', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: namespaceSelector('istio-system'), podSelector: { matchLabels: { app: 'istiod' } } }], ports: [tcp(ISTIOD_PORT)] }],
    });
    if (platform.monitoring) {
      const prometheus = { namespaceSelector: namespaceSelector(platform.monitoring.namespace), podSelector: { matchLabels: platform.monitoring.selector } };
      policy('allow-metrics-scraping', {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [prometheus], ports: [tcp(MERGED_METRICS_PORT)] }],
      });
    }

    for (const service of platform.services) {
      const callers = platform.services.filter((caller) => caller.calls.includes(service.name));
      const from: k8s.NetworkPolicyPeer[] = [
        ...(service.expose ? [{ namespaceSelector: namespaceSelector(ingressPods(platform).namespace), podSelector: { matchLabels: ingressPods(platform).selector } }] : []),
        ...callers.map((caller) => ({ podSelector: { matchLabels: serviceSelector(caller.name) } })),
      ];
      if (from.length > 0) {
        policy(`allow-${service.name}-ingress`, {
          podSelector: { matchLabels: serviceSelector(service.name) },
          policyTypes: ['Ingress'],
          ingress: [{ from, ports: servicePorts(service) }],
        });
      }
      const callees = platform.services.filter((callee) => service.calls.includes(callee.name));
      if (callees.length > 0) {
        policy(`allow-${service.name}-egress`, {
          podSelector: { matchLabels: serviceSelector(service.name) },
          policyTypes: ['Egress'],
          egress: callees.map((callee) => ({ to: [{ podSelector: { matchLabels: serviceSelector(callee.name) } }], ports: servicePorts(callee) })),
        });
      }
    }
  }
}
