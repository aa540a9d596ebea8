/**
 * NetworkPolicy invariants of every mode, derived from the description: over every shipped environment and mode
 * variant with `networkPolicies`, the connections the policies admit between the platform's pods are exactly the
 * hops of the `calls` graph (and of `expose`) in that data plane, evaluated with Kubernetes' NetworkPolicy semantics
 * at both ends (the source's egress, the target's ingress):
 * - sidecars: caller → callee on the callee's ports;
 * - ambient: caller → waypoint → callee, each hop HBONE on 15008 (istio.io, "Ambient and Kubernetes NetworkPolicy"),
 *   the kubelet's probes from 169.254.7.127 on the probe port only.
 * The pods Istio deploys for a Gateway carry `gateway.networking.k8s.io/gateway-name: <gateway>` (its templates).
 */
import { admitted, type Endpoint } from '../support/network-policy';
import { clusterView, ofKind, synthesizeVariants, type KubeObject } from '../support/platform';

const HBONE = 15008;
const PROBE_SOURCE = { ip: '169.254.7.127' };
const OUTSIDE = { ip: '203.0.113.7' };

const variants = synthesizeVariants();
const guarded = Object.keys(variants).filter((name) => variants[name].spec.networkPolicies);

test('the variants cover NetworkPolicies in both data planes and both routing APIs', () => {
  const modes = guarded.map((name) => `${variants[name].spec.mesh.dataPlane}+${variants[name].spec.mesh.routing}`);
  expect(new Set(modes)).toEqual(new Set(['sidecar+istio', 'sidecar+gateway-api', 'ambient+gateway-api']));
});

describe.each(guarded)('%s', (variant) => {
  const { spec } = variants[variant];
  // As the cluster holds them: Flagger's `<name>-primary` pods must be admitted like the canary's.
  const objects = clusterView(variants[variant].objects);
  const ambient = spec.mesh.dataPlane === 'ambient';
  const policies = ofKind(objects, 'NetworkPolicy');
  const deployments = ofKind(objects, 'Deployment');
  const pods = (service: string): Endpoint[] => deployments
    .filter((d) => d.spec.template.metadata.labels['app.kubernetes.io/name'] === service)
    .map((d) => ({ namespace: spec.namespace, labels: d.spec.template.metadata.labels }));
  // The Envoy pods Istio deploys for each Gateway API Gateway of the output, labelled as its templates label them.
  const gatewayPod = (name: string): Endpoint => {
    const gateway = ofKind(objects, 'Gateway').find((g) => g.apiVersion.startsWith('gateway.networking.k8s.io/') && g.metadata.name === name)!;
    return { namespace: gateway.metadata.namespace, labels: { 'gateway.networking.k8s.io/gateway-name': name, 'gateway.networking.k8s.io/gateway-class-name': gateway.spec.gatewayClassName } };
  };
  const ingress: Endpoint = spec.mesh.routing === 'istio' ? { namespace: spec.gateway.namespace, labels: spec.gateway.selector } : gatewayPod(spec.gateway.name);
  const waypoint = ambient ? gatewayPod('waypoint') : undefined;
  const istiod: Endpoint = { namespace: 'istio-system', labels: { app: 'istiod' } };
  const portsOf = (service: KubeObject) => service.ports.map((p: KubeObject) => p.port as number);
  const callsOf = (caller: string, callee: string) => spec.services.find((s) => s.name === caller)!.calls.includes(callee);
  /** Whether every pod of `from` may connect to every pod of `to` on `port`; false if any pair may not. */
  const all = (from: Endpoint[], to: Endpoint[], port: number) => from.every((a) => to.every((b) => admitted(policies, a, b, port)));
  const none = (from: Endpoint[], to: Endpoint[], port: number) => from.every((a) => to.every((b) => !admitted(policies, a, b, port)));

  test('between the services, exactly the `calls` edges are admitted, directly with sidecars and through the waypoint in ambient', () => {
    for (const caller of spec.services) {
      for (const callee of spec.services) {
        for (const port of [...portsOf(callee), HBONE]) {
          const expected = !ambient && callsOf(caller.name, callee.name) && portsOf(callee).includes(port);
          const any = !none(pods(caller.name), pods(callee.name), port);
          expect({ caller: caller.name, callee: callee.name, port, admitted: any }).toEqual({ caller: caller.name, callee: callee.name, port, admitted: expected });
          if (expected) expect(all(pods(caller.name), pods(callee.name), port)).toBe(true);
        }
      }
    }
  });

  test('in ambient, every caller reaches the waypoint and the waypoint every callee, on 15008 only; nothing else touches the waypoint', () => {
    if (!waypoint) return expect(ofKind(objects, 'Gateway').filter((g) => g.spec.gatewayClassName === 'istio-waypoint')).toEqual([]);
    for (const service of spec.services) {
      const calls = service.calls.length > 0;
      const called = spec.services.some((caller) => caller.calls.includes(service.name));
      expect({ service: service.name, toWaypoint: all(pods(service.name), [waypoint], HBONE) }).toEqual({ service: service.name, toWaypoint: calls });
      expect({ service: service.name, fromWaypoint: all([waypoint], pods(service.name), HBONE) }).toEqual({ service: service.name, fromWaypoint: called });
      for (const port of portsOf(service)) {
        expect(none(pods(service.name), [waypoint], port)).toBe(true);
        expect(none([waypoint], pods(service.name), port)).toBe(true);
      }
    }
    expect(none([OUTSIDE], [waypoint], HBONE)).toBe(true);
  });

  test('the ingress gateway reaches exactly the exposed services (on their wire port) and the world reaches only the gateway', () => {
    for (const service of spec.services) {
      const wire = ambient ? [HBONE] : portsOf(service);
      const closed = ambient ? portsOf(service) : [HBONE];
      for (const port of wire) expect({ service: service.name, port, admitted: admitted(policies, ingress, pods(service.name)[0], port) }).toEqual({ service: service.name, port, admitted: service.expose !== undefined });
      for (const port of closed) expect(none([ingress], pods(service.name), port)).toBe(true);
      for (const port of [...portsOf(service), HBONE]) expect(none([OUTSIDE], pods(service.name), port)).toBe(true);
    }
    const listeners = ofKind(objects, 'Gateway').find((g) => g.metadata.name === spec.gateway.name)!.spec;
    const listenerPorts: number[] = listeners.listeners?.map((l: KubeObject) => l.port) ?? listeners.servers.map((s: KubeObject) => s.port.number);
    for (const port of [...listenerPorts, 15021]) expect(admitted(policies, OUTSIDE, ingress, port)).toBe(true);
    expect(admitted(policies, OUTSIDE, ingress, HBONE)).toBe(spec.mesh.routing === 'istio');
  });

  test('in ambient the kubelet probes are admitted from 169.254.7.127 on the probe port only; the app pods do not dial istiod', () => {
    for (const deployment of deployments) {
      const container = deployment.spec.template.spec.containers[0];
      const pod: Endpoint = { namespace: spec.namespace, labels: deployment.spec.template.metadata.labels };
      const probe = container.ports.find((p: KubeObject) => p.name === container.readinessProbe.httpGet.port).containerPort as number;
      expect(admitted(policies, PROBE_SOURCE, pod, probe)).toBe(ambient);
      for (const port of [HBONE, ...container.ports.map((p: KubeObject) => p.containerPort).filter((p: number) => p !== probe)]) {
        expect(admitted(policies, PROBE_SOURCE, pod, port)).toBe(false);
      }
      expect(admitted(policies, pod, istiod, 15012)).toBe(!ambient);
    }
    if (waypoint) expect(admitted(policies, waypoint, istiod, 15012)).toBe(true);
    expect(admitted(policies, ingress, istiod, 15012)).toBe(true);
  });

  test('Prometheus reaches exactly what the PodMonitors scrape: each selected pod on its wire port, and nothing else', () => {
    const prometheus = spec.observability.prometheus;
    if (!prometheus) return expect(ofKind(objects, 'PodMonitor')).toEqual([]);
    const scraper: Endpoint = { namespace: prometheus.namespace, labels: prometheus.selector };
    const monitors = ofKind(objects, 'PodMonitor').filter((m) => m.metadata.namespace === spec.namespace);
    const gatewayNames = ofKind(objects, 'Gateway').filter((g) => g.apiVersion.startsWith('gateway.networking.k8s.io/')).map((g) => g.metadata.name as string);
    const targets: Endpoint[] = [...spec.services.flatMap((s) => pods(s.name)), ...gatewayNames.map(gatewayPod)];
    const scraped = new Set<string>();
    for (const monitor of monitors) {
      const [endpoint] = monitor.spec.podMetricsEndpoints;
      const rewritten = endpoint.relabelings?.find((r: KubeObject) => r.targetLabel === '__address__');
      for (const target of targets.filter((t) => 'labels' in t && Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => t.labels[k] === v))) {
        // 15020 when the address is rewritten to it (Envoy's merged stats); else the app port, which ambient carries as HBONE.
        const port = rewritten ? Number(/:(\d+)$/.exec(rewritten.replacement)![1]) : ambient ? HBONE : portsOf(spec.services.find((s) => s.ports[0].name === endpoint.port)!)[0];
        expect({ monitor: monitor.metadata.name, port, admitted: admitted(policies, scraper, target, port) }).toEqual({ monitor: monitor.metadata.name, port, admitted: true });
        scraped.add(`${JSON.stringify(target)}:${port}`);
      }
    }
    expect(scraped.size).toBeGreaterThanOrEqual(spec.services.length);
    for (const target of targets) {
      for (const port of [HBONE, 15020, 15021, ...spec.services.flatMap(portsOf)]) {
        if (scraped.has(`${JSON.stringify(target)}:${port}`)) continue;
        // The ingress gateway's status port is open to anyone (probes, load balancers), Prometheus included.
        if (port === 15021 && 'labels' in target && target.labels['gateway.networking.k8s.io/gateway-name']) continue;
        expect({ target, port, admitted: admitted(policies, scraper, target, port) }).toEqual({ target, port, admitted: false });
      }
    }
  });
});
