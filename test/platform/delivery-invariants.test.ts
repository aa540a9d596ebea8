/**
 * Invariants of progressive delivery, derived from the description: for every service an environment (or mode
 * variant) delivers progressively, the platform emits none of the routing objects Flagger owns, its Canary and
 * MetricTemplates match the description and the data plane, and the PDB, autoscaler and ingress reach Flagger's pods
 * and routes. Variants without a progressive service check nothing here (the count at the end says how many did).
 */
import { primaryName, progressiveDeploymentName } from '../../src/description/names/workloads';
import { clusterView, ofKind, selects, synthesizeVariants, type KubeObject } from '../support/platform';
import { promqlSyntaxErrors } from '../support/promql';

const variants = synthesizeVariants();
let checked = 0;

describe.each(Object.keys(variants))('%s', (variant) => {
  const { spec, objects } = variants[variant];
  const view = clusterView(objects);
  const named = (list: readonly KubeObject[], kind: string, name: string) => ofKind(list, kind).find((o) => o.metadata.name === name);
  const progressive = spec.services.filter((s) => s.delivery.mode === 'progressive');

  for (const name of progressive.map((s) => s.name)) test(`${name}: no Service, VirtualService, DestinationRule subset or HTTPRoute of its own; Flagger's are there instead`, () => {
    checked++;
    const owned = [name, primaryName(name), `${name}-canary`];
    expect(ofKind(objects, 'Service').filter((s) => owned.includes(s.metadata.name) || s.metadata.name.startsWith(`${name}-v`))).toEqual([]);
    expect(ofKind(objects, 'HTTPRoute').filter((r) => r.metadata.name === name)).toEqual([]);
    expect(ofKind(objects, 'VirtualService').filter((v) => v.metadata.name === name || v.spec.http.some((r: KubeObject) => r.route))
      .filter((v) => v.spec.hosts?.includes(`${name}.${spec.namespace}.svc.cluster.local`))).toEqual([]);
    // Only the Gateway API leaves the primary's and canary's circuit breaking to the platform (Flagger makes none there).
    const rules = ofKind(objects, 'DestinationRule').filter((r) => r.spec.host.startsWith(`${name}.`) || r.spec.host.startsWith(`${name}-`));
    expect(rules.map((r) => r.metadata.name).sort()).toEqual(spec.mesh.routing === 'gateway-api' ? [`${name}-canary`, primaryName(name)].sort() : []);
    for (const kind of ['Service', 'Deployment']) expect(named(view, kind, kind === 'Service' ? name : primaryName(name))).toBeDefined();
  });

  for (const name of progressive.map((s) => s.name)) test(`${name}: the Canary wraps its one Deployment and autoscaler, and routes with the environment's API`, () => {
    const service = progressive.find((s) => s.name === name)!;
    const canary = named(objects, 'Canary', name)!;
    const target = named(objects, 'Deployment', canary.spec.targetRef.name)!;
    expect(target.metadata.name).toBe(progressiveDeploymentName(name));
    expect(ofKind(objects, 'Deployment').filter((d) => d.metadata.labels['app.kubernetes.io/name'] === name)).toEqual([target]);
    const scaler = named(objects, canary.spec.autoscalerRef.kind, canary.spec.autoscalerRef.name)!;
    expect(scaler.spec.scaleTargetRef.name).toBe(target.metadata.name);
    expect(canary.spec.provider).toBe(spec.mesh.routing === 'gateway-api' ? 'gatewayapi:v1' : 'istio');
    expect(canary.spec.service).toMatchObject({ port: service.ports[0].port, timeout: service.traffic.timeout });
    if (scaler.kind === 'ScaledObject') {
      // Flagger would rewrite `<name>` in the query to `<name>-primary`, the service label included: the primary gets its own.
      const [trigger] = scaler.spec.triggers;
      expect(Object.keys(canary.spec.autoscalerRef.primaryScalerQueries)).toEqual([trigger.name]);
      expect(canary.spec.autoscalerRef.primaryScalerQueries[trigger.name]).toBe(trigger.metadata.query.replace(`app="${name}"`, `app="${primaryName(name)}"`));
    }
  });

  for (const name of progressive.map((s) => s.name)) test(`${name}: the PDB covers the primary's pods and the canary's`, () => {
    const budget = named(objects, 'PodDisruptionBudget', progressiveDeploymentName(name))!;
    for (const workload of [name, primaryName(name)]) {
      expect(selects(budget.spec.selector.matchLabels, named(view, 'Deployment', workload)!.spec.template.metadata.labels)).toBe(true);
    }
  });

  for (const name of progressive.map((s) => s.name)) test(`${name}: analysis from its SLOs with the data plane's labels, on the canary workload only, parsed by Prometheus' grammar`, () => {
    const service = progressive.find((s) => s.name === name)!;
    const canary = named(objects, 'Canary', name)!;
    const metrics = canary.spec.analysis.metrics as KubeObject[];
    expect(metrics.every((m) => m.templateRef)).toBe(true); // never Flagger's built-in request-success-rate / request-duration
    expect(Object.fromEntries(metrics.map((m) => [m.name, m.thresholdRange]))).toEqual({
      'success-rate': { min: service.slo.availabilityPercent },
      latency: { max: service.slo.latency.thresholdMs },
      ...(service.delivery.mode === 'progressive' && service.delivery.rollbackOnAlerts ? { 'slo-alerts': { max: 0 } } : {}),
    });
    for (const metric of metrics) {
      const { query } = named(objects, 'MetricTemplate', metric.templateRef.name)!.spec;
      expect(promqlSyntaxErrors(query)).toEqual([]);
      if (metric.name === 'slo-alerts') {
        expect(query).toContain(`namespace="${spec.namespace}",service="${name}"`);
        continue;
      }
      if (service.delivery.mode === 'progressive' && service.delivery.analysisSource === 'mesh') {
        expect(query).toContain(`reporter="${spec.mesh.dataPlane === 'ambient' ? 'waypoint' : 'destination'}"`);
        expect(query).toContain(`destination_workload="${progressiveDeploymentName(name)}"`);
        expect(query).not.toContain('destination_version');
      }
      expect(query).not.toContain(primaryName(name));
    }
  });

  for (const name of progressive.filter((s) => s.expose).map((s) => s.name)) test(`${name}: the ingress reaches Flagger's route`, () => {
    const canary = named(objects, 'Canary', name)!;
    if (spec.mesh.routing === 'istio') {
      const ingress = ofKind(objects, 'VirtualService').find((v) => v.spec.gateways?.includes(spec.gateway.name))!;
      expect(ingress.spec.http.filter((r: KubeObject) => r.delegate).map((r: KubeObject) => r.delegate)).toEqual([{ name, namespace: spec.namespace }]);
      expect(canary.spec.service.delegation).toBe(true);
      return;
    }
    const route = named(objects, 'HTTPRoute', `${name}-ingress`)!;
    expect([...new Set(route.spec.rules.flatMap((r: KubeObject) => r.backendRefs.map((b: KubeObject) => b.name)))]).toEqual([name]);
    // In ambient the ingress gateway sends the apex's traffic through the waypoint, which applies Flagger's HTTPRoute.
    if (spec.mesh.dataPlane === 'ambient') expect(named(view, 'Service', name)!.metadata.labels['istio.io/ingress-use-waypoint']).toBe('true');
  });
});

afterAll(() => {
  // Every mesh mode carries a progressive service (dev and its variants): a change that dropped them would show here.
  expect(checked).toBeGreaterThanOrEqual(3);
});
