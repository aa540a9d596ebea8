/**
 * Invariants of both mesh modes, derived from the description (routes from `expose` and the versions, the allow graph
 * from `calls`), over every shipped environment and the mode combinations no environment ships (MODE_VARIANTS).
 */
import { IDEMPOTENT_RETRY_CODES } from '../../src/mesh/gateway-api/route-rules';
import { IDEMPOTENT_METHODS, UNPROCESSED_RETRY_ON } from '../../src/mesh/http-routes';
import { matchingRule } from '../support/http-route-match';
import { clusterView, ofKind, selects, synthesizeVariants, type KubeObject } from '../support/platform';

const variants = synthesizeVariants();
const principalOf = (namespace: string, account: string) => `cluster.local/ns/${namespace}/sa/${account}`;

describe.each(Object.keys(variants))('%s', (variant) => {
  const { spec } = variants[variant];
  // As the cluster holds them: with what Flagger creates for a progressively delivered service.
  const objects = clusterView(variants[variant].objects);
  const deployments = ofKind(objects, 'Deployment');
  const { dataPlane, routing } = spec.mesh;
  const named = (kind: string, name: string) => ofKind(objects, kind).find((o) => o.metadata.name === name);
  const podLabels = (d: KubeObject) => d.spec.template.metadata.labels as Record<string, string>;
  const ingressPrincipal = routing === 'istio'
    ? principalOf(spec.gateway.namespace, spec.gateway.serviceAccount)
    : principalOf(spec.namespace, named('Gateway', spec.gateway.name)!.metadata.annotations['gateway.istio.io/service-account']);

  test('uses only the objects of its routing API', () => {
    const kinds = new Set(objects.map((o) => `${o.apiVersion.split('/')[0]}/${o.kind}`));
    if (routing === 'istio') {
      expect([...kinds].filter((k) => k.startsWith('gateway.networking.k8s.io/') && !(dataPlane === 'ambient' && k.endsWith('/Gateway')))).toEqual([]);
    } else {
      expect(kinds.has('networking.istio.io/VirtualService')).toBe(false);
      expect(kinds.has('networking.istio.io/Gateway')).toBe(false);
      expect(ofKind(objects, 'DestinationRule').filter((r) => r.spec.subsets)).toEqual([]);
    }
  });

  test('every HTTPRoute backendRef and mirror names a Service and one of its ports, and that Service selects pods of one version', () => {
    const routes = ofKind(objects, 'HTTPRoute');
    if (routing === 'istio') return expect(routes).toEqual([]);
    let checked = 0;
    for (const route of routes) {
      for (const rule of route.spec.rules) {
        const refs = [...(rule.backendRefs ?? []), ...(rule.filters ?? []).flatMap((f: KubeObject) => (f.requestMirror ? [f.requestMirror.backendRef] : []))];
        for (const ref of refs) {
          const service = named('Service', ref.name);
          expect({ route: route.metadata.name, ref: ref.name, found: service !== undefined }).toEqual({ route: route.metadata.name, ref: ref.name, found: true });
          expect(service!.spec.ports.map((p: KubeObject) => p.port)).toContain(ref.port);
          const versions = new Set(deployments.filter((d) => selects(service!.spec.selector, podLabels(d))).map((d) => podLabels(d).version));
          expect(versions.size).toBe(1);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('every parentRef resolves: a Service by name and port, or a Gateway listener by name and section', () => {
    for (const route of ofKind(objects, 'HTTPRoute')) {
      for (const parent of route.spec.parentRefs) {
        if (parent.kind === 'Service') {
          expect(named('Service', parent.name)?.spec.ports.map((p: KubeObject) => p.port)).toContain(parent.port);
        } else {
          const gateway = named('Gateway', parent.name)!;
          expect(gateway.spec.gatewayClassName).toBe('istio');
          expect(gateway.spec.listeners.map((l: KubeObject) => l.name)).toContain(parent.sectionName);
        }
      }
    }
  });

  test('each service with several versions is split by weights that add up to 100, in both APIs', () => {
    for (const route of ofKind(objects, 'HTTPRoute')) {
      for (const rule of route.spec.rules.filter((r: KubeObject) => r.backendRefs)) {
        expect(rule.backendRefs.reduce((sum: number, b: KubeObject) => sum + b.weight, 0)).toBe(100);
      }
    }
    for (const vs of ofKind(objects, 'VirtualService')) {
      // A route that delegates (to Flagger's VirtualService, also in the view) splits nothing itself.
      for (const route of vs.spec.http.filter((r: KubeObject) => !r.delegate)) expect(route.route.reduce((sum: number, r: KubeObject) => sum + r.weight, 0)).toBe(100);
    }
  });

  test('a POST is never retried after it reached the service', () => {
    for (const vs of ofKind(objects, 'VirtualService')) {
      for (const route of vs.spec.http.filter((r: KubeObject) => !r.delegate)) {
        const idempotentOnly = route.match?.every((m: KubeObject) => /^\^\((GET|HEAD|OPTIONS|PUT|DELETE)(\|(GET|HEAD|OPTIONS|PUT|DELETE))*\)\$$/.test(m.method?.regex ?? ''));
        if (!idempotentOnly) expect(route.retries.retryOn ?? '').toBe(route.retries.attempts === 0 ? '' : UNPROCESSED_RETRY_ON);
      }
    }
    // An HTTPRoute rule that can match a POST carries no retry: Istio's mesh default applies, which the installation
    // restricts to UNPROCESSED_RETRY_ON (test/deploy/istio-installation.test.ts). In the standard channel no rule has one.
    for (const route of ofKind(objects, 'HTTPRoute')) {
      for (const rule of route.spec.rules) {
        const matchesPost = (rule.matches ?? [{}]).some((m: KubeObject) => m.method === undefined || m.method === 'POST');
        if (matchesPost || spec.mesh.gatewayApiChannel === 'standard') expect({ rule: rule.name, retry: rule.retry }).toEqual({ rule: rule.name, retry: undefined });
      }
    }
  });

  test('each request takes the rule with its canary split, pin, timeout, mirror and, if idempotent, the retries', () => {
    if (routing === 'istio') return;
    let checked = 0;
    // The platform's own routes of statically delivered services (a progressive one's: see the next test).
    for (const route of ofKind(objects, 'HTTPRoute').filter((r) => r.spec.rules.some((rule: KubeObject) => rule.backendRefs))) {
      const service = spec.services.find((s) => s.name === route.metadata.labels?.app && s.delivery.mode === 'static');
      if (!service) continue;
      const path = route.spec.parentRefs[0].kind === 'Service' ? '/any' : `${service.expose!.prefix}/any`;
      const pin = service.canary.header;
      for (const method of [...IDEMPOTENT_METHODS, 'POST', 'PATCH']) {
        for (const headers of [{}, ...(pin ? [{ [pin.name]: pin.value }] : [])]) {
          const rule = matchingRule(route, { method, path, headers })!;
          const pinned = pin !== undefined && Object.keys(headers).length > 0;
          const retried = spec.mesh.gatewayApiChannel === 'experimental' && (IDEMPOTENT_METHODS as readonly string[]).includes(method);
          const mirror = (rule.filters ?? []).find((f: KubeObject) => f.requestMirror)?.requestMirror;
          expect({ route: route.metadata.name, method, headers, split: rule.backendRefs.map((b: KubeObject) => `${b.name}=${b.weight}`), timeout: rule.timeouts.request, retry: rule.retry, mirror }).toEqual({
            route: route.metadata.name, method, headers,
            split: pinned ? [`${service.name}-${pin.version}=100`] : service.versions.map((v) => `${service.name}-${v.name}=${v.weight}`),
            timeout: service.traffic.timeout,
            retry: retried ? { attempts: service.traffic.retries.attempts, codes: [...IDEMPOTENT_RETRY_CODES] } : undefined,
            mirror: service.traffic.mirror ? { backendRef: { name: `${service.name}-${service.traffic.mirror.version}`, port: service.ports[0].port }, percent: service.traffic.mirror.percentage } : undefined,
          });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('the allow graph equals `calls` (plus the ingress gateway for exposed services, and in ambient Prometheus on the metrics port only), wherever the mode enforces it', () => {
    const accounts = ofKind(objects, 'ServiceAccount').map((sa) => principalOf(sa.metadata.namespace, sa.metadata.name));
    const allows = ofKind(objects, 'AuthorizationPolicy').filter((p) => (p.spec.action ?? 'ALLOW') === 'ALLOW' && p.spec.rules);
    const principalsOf = (policy: KubeObject): string[] => policy.spec.rules.flatMap((r: KubeObject) => r.from.flatMap((f: KubeObject) => f.source.principals));
    const waypoint = dataPlane === 'ambient' ? principalOf(spec.namespace, 'waypoint') : undefined;
    const { prometheus } = spec.observability;
    // In ambient Prometheus scrapes the app pods through ztunnel (src/observability/prometheus-access.ts).
    const scraper = dataPlane === 'ambient' && prometheus ? principalOf(prometheus.namespace, prometheus.serviceAccount) : undefined;
    // Every pod of the service, Flagger's `<name>-primary` pods included (the cluster view), has the same allow graph.
    const podsOf = (service: string) => deployments.filter((d) => podLabels(d)['app.kubernetes.io/name'] === service).map(podLabels);
    for (const service of spec.services) for (const labels of podsOf(service.name)) {
      const selecting = allows.filter((p) => p.spec.selector && selects(p.spec.selector.matchLabels, labels));
      const scrapes = selecting.filter((p) => principalsOf(p).includes(scraper!));
      expect(scrapes.map((p) => [principalsOf(p), p.spec.rules.flatMap((r: KubeObject) => r.to.flatMap((t: KubeObject) => t.operation.ports))]))
        .toEqual(scraper ? [[[scraper], [String(service.ports[0].port)]]] : []);
      const l4 = selecting.filter((p) => !scrapes.includes(p)).flatMap(principalsOf);
      const l7 = allows.filter((p) => p.spec.targetRefs?.some((t: KubeObject) => t.kind === 'Service' && t.name === service.name)).flatMap(principalsOf);
      // The installed ingress gateway's account lives outside the output (Istio routing); every other one is created.
      for (const principal of [...l4, ...l7]) expect([...accounts, ingressPrincipal]).toContain(principal);
      // In ambient, ztunnel admits the waypoint, which admits the callers; in sidecar mode the sidecar admits them itself.
      const effective = waypoint && l4.includes(waypoint) ? [...l4.filter((p) => p !== waypoint), ...l7] : l4;
      if (dataPlane === 'sidecar') expect(l7).toEqual([]);
      const expected = [
        ...(service.expose ? [ingressPrincipal] : []),
        ...spec.services.filter((caller) => caller.calls.includes(service.name)).map((caller) => principalOf(spec.namespace, caller.name)),
      ];
      expect({ service: service.name, app: labels.app, allowed: effective.sort() }).toEqual({ service: service.name, app: labels.app, allowed: expected.sort() });
    }
  });

  test('the data plane shows in the namespace and the pods: ambient pods carry no Istio container or annotation', () => {
    const labels = objects[0].metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    if (dataPlane === 'sidecar') {
      expect(labels['istio-injection']).toBe('enabled');
      expect(labels['istio.io/dataplane-mode']).toBeUndefined();
      return;
    }
    expect(labels['istio.io/dataplane-mode']).toBe('ambient');
    expect(labels['istio-injection']).toBeUndefined();
    for (const deployment of deployments) {
      const template = deployment.spec.template;
      const keys = [...Object.keys(template.metadata.annotations ?? {}), ...Object.keys(template.metadata.labels)];
      expect(keys.filter((key) => key.includes('istio.io'))).toEqual([]);
      const containers = [...template.spec.containers, ...(template.spec.initContainers ?? [])].map((c: KubeObject) => c.name);
      expect(containers).toEqual([podLabels(deployment)['app.kubernetes.io/name']]);
    }
  });

  test('in ambient, every service with an in-mesh route uses a waypoint that exists, and no selector policy has L7 rules', () => {
    if (dataPlane === 'sidecar') return expect(ofKind(objects, 'Gateway').filter((g) => g.spec.gatewayClassName === 'istio-waypoint')).toEqual([]);
    for (const route of ofKind(objects, 'HTTPRoute')) {
      for (const parent of route.spec.parentRefs.filter((p: KubeObject) => p.kind === 'Service')) {
        const waypoint = named('Service', parent.name)!.metadata.labels['istio.io/use-waypoint'];
        expect(named('Gateway', waypoint)?.spec.gatewayClassName).toBe('istio-waypoint');
      }
    }
    for (const policy of ofKind(objects, 'AuthorizationPolicy').filter((p) => p.spec.selector)) {
      const operations = (policy.spec.rules ?? []).flatMap((r: KubeObject) => (r.to ?? []).map((t: KubeObject) => Object.keys(t.operation)));
      expect(operations.flat().filter((key: string) => key !== 'ports')).toEqual([]);
    }
    for (const policy of [...ofKind(objects, 'RequestAuthentication'), ...ofKind(objects, 'AuthorizationPolicy')]) {
      if (policy.spec.selector) expect(policy.kind).toBe('AuthorizationPolicy');
    }
  });
});
