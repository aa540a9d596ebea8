/**
 * Observability invariants of every shipped environment and mode variant, derived from the description: every service
 * is scraped (its pods selected, `app` and `version` copied) and has its rules; every alert carries the labels the
 * routing and the on-call need and links to a runbook section that exists; every generated PromQL expression parses
 * with Prometheus' grammar and reads only series the platform records or the services expose; the alert webhook is a
 * Secret reference; scaling on load replaces the HPA; tracing is wired end to end when a backend is configured.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import GithubSlugger from 'github-slugger';
import { REQUEST_DURATION_SECONDS, REQUESTS_TOTAL } from '../../services/kit/metric-vocabulary';
import { ALERT_NAMES } from '../../src/observability/slo-rules';
import { promqlSyntaxErrors } from '../support/promql';
import { clusterView, ofKind, selects, synthesizeVariants, type KubeObject } from '../support/platform';
import { primaryName, workloadName } from '../../src/description/names/workloads';
import { REPOSITORY_ROOT } from '../support/run-script';

const variants = synthesizeVariants();
const runbook = readFileSync(join(REPOSITORY_ROOT, 'docs', 'observability.md'), 'utf8');
const slugger = new GithubSlugger();
const anchors = new Set([...runbook.matchAll(/^#+ (.+)$/gm)].map(([, heading]) => slugger.slug(heading)));
/** Metric names in an expression: identifiers followed by `{` (every selector the platform writes has matchers). */
const metricsIn = (expression: string) => [...expression.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map(([, name]) => name);

test('every alert name has its runbook section in docs/observability.md', () => {
  for (const name of ALERT_NAMES) expect(anchors).toContain(name.toLowerCase());
});

describe.each(Object.keys(variants))('%s', (variant) => {
  const { spec, objects } = variants[variant];
  const prometheus = spec.observability.prometheus!;
  // With Flagger's `<name>-primary` Deployments, which the monitors must select too.
  const deployments = ofKind(clusterView(objects), 'Deployment');
  const rules = ofKind(objects, 'PrometheusRule');
  const allRules = rules.flatMap((r) => r.spec.groups.flatMap((g: KubeObject) => g.rules));

  test('the environment configures Prometheus, alert routing and a trace backend', () => {
    expect(prometheus).toBeDefined();
    expect(spec.observability.alerting).toBeDefined();
    expect(spec.observability.tracing.backend).toBeDefined();
  });

  test('every service has a PodMonitor that selects all its versions\' pods and copies app and version, and a PrometheusRule', () => {
    for (const service of spec.services) {
      const monitor = ofKind(objects, 'PodMonitor').find((m) => m.metadata.name === service.name && m.metadata.namespace === spec.namespace)!;
      expect(monitor.metadata.labels).toMatchObject(prometheus.monitorLabels);
      const selected = deployments.filter((d) => selects(monitor.spec.selector.matchLabels, d.spec.template.metadata.labels));
      const workloads = service.versions.map((v) => workloadName(service, v.name));
      if (service.delivery.mode === 'progressive') workloads.push(primaryName(service.name));
      expect(selected.map((d) => d.metadata.name).sort()).toEqual(workloads.sort());
      expect(monitor.spec.podTargetLabels).toEqual(['app', 'version']);
      expect(monitor.spec.podMetricsEndpoints.every((e: KubeObject) => e.honorLabels)).toBe(true);
      const [endpoint] = monitor.spec.podMetricsEndpoints;
      // The scraped port exists on the pod: the app's named port, or (sidecars) the Envoy container's, rewritten to 15020.
      if (spec.mesh.dataPlane === 'ambient') expect(selected[0].spec.template.spec.containers[0].ports.map((p: KubeObject) => p.name)).toContain(endpoint.port);
      else expect([endpoint.port, endpoint.path, endpoint.relabelings[0].replacement]).toEqual(['http-envoy-prom', '/stats/prometheus', '$1:15020']);
      const rule = rules.find((r) => r.metadata.name === service.name)!;
      expect(rule.metadata.labels).toMatchObject(prometheus.ruleLabels);
    }
    expect(rules).toHaveLength(spec.services.length);
  });

  test('every alert carries severity, service, version, namespace and environment, a summary, the dashboard and a runbook section', () => {
    const recordedByVersion = new Set(allRules.filter((r) => r.record).map((r) => r.record as string));
    const alerts = allRules.filter((r) => r.alert);
    expect(new Set(alerts.map((a) => a.alert))).toEqual(new Set(ALERT_NAMES));
    for (const alert of alerts) {
      expect(['page', 'ticket']).toContain(alert.labels.severity);
      expect(alert.labels).toMatchObject({ namespace: spec.namespace, environment: spec.environment });
      expect(spec.services.map((s) => s.name)).toContain(alert.labels.service);
      // `version` is the rule's own label, or comes from recorded series aggregated by version.
      if (!alert.labels.version) expect(metricsIn(alert.expr).every((name) => recordedByVersion.has(name))).toBe(true);
      expect(alert.annotations.summary).toContain(alert.labels.service);
      expect(alert.annotations.dashboard).toBe(`${prometheus.grafanaUrl}/d/${spec.name}-${alert.labels.service}`);
      expect(anchors).toContain(alert.annotations.runbook_url.split('#')[1]);
    }
  });

  test('every generated expression parses and reads only the services\' request metrics, `up`, or series a rule records', () => {
    const recorded = new Set(allRules.filter((r) => r.record).map((r) => r.record as string));
    const exposed = new Set([REQUESTS_TOTAL, `${REQUEST_DURATION_SECONDS}_bucket`, `${REQUEST_DURATION_SECONDS}_count`, 'up']);
    const triggers = ofKind(objects, 'ScaledObject').flatMap((o) => o.spec.triggers.map((t: KubeObject) => t.metadata.query as string));
    const expressions = [...allRules.map((r) => r.expr as string), ...triggers];
    for (const expression of expressions) {
      expect({ expression, errors: promqlSyntaxErrors(expression) }).toEqual({ expression, errors: [] });
      for (const name of metricsIn(expression)) expect({ expression, name, known: recorded.has(name) || exposed.has(name) }).toMatchObject({ known: true });
      expect(expression).not.toMatch(/\bstatus=/);
    }
  });

  test('scaling on requests per second replaces the HPA with a ScaledObject on the version\'s request rate', () => {
    for (const service of spec.services) {
      for (const version of service.versions) {
        const name = workloadName(service, version.name);
        const scaled = ofKind(objects, 'ScaledObject').find((o) => o.metadata.name === name);
        const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find((o) => o.metadata.name === name);
        if (service.autoscaling.requestsPerSecond === undefined) {
          expect([scaled, hpa !== undefined]).toEqual([undefined, true]);
          continue;
        }
        expect(hpa).toBeUndefined();
        const [trigger] = scaled!.spec.triggers;
        expect(trigger.type).toBe('prometheus');
        expect(trigger.metadata.threshold).toBe(String(service.autoscaling.requestsPerSecond));
        expect(trigger.metadata.query).toContain(`service="${service.name}",version="${version.name}"`);
        expect(trigger.metadata.serverAddress).toBe(prometheus.url ?? `http://prometheus-operated.${prometheus.namespace}.svc:9090`);
      }
    }
  });

  test('alerts route by severity to a webhook whose URL is a Secret reference, never in the output', () => {
    const [config] = ofKind(objects, 'AlertmanagerConfig');
    expect(config.spec.route.routes.map((r: KubeObject) => r.matchers[0].value)).toEqual(['page', 'ticket']);
    const [receiver] = config.spec.receivers;
    expect(receiver.webhookConfigs[0]).toEqual({ urlSecret: { name: `${spec.name}-alert-webhook`, key: 'url' }, sendResolved: true });
    expect(JSON.stringify(objects)).not.toMatch(/"url":"http/);
  });

  test('tracing: the Telemetry objects select the provider Istio is given, and every pod gets the standard OpenTelemetry variables', () => {
    const { backend, samplingPercent } = spec.observability.tracing;
    const telemetry = ofKind(objects, 'Telemetry');
    // One namespace-wide object: it covers the waypoint too (two selector-less ones are ambiguous: IST0160).
    expect(telemetry.map((t) => t.metadata.name)).toEqual(['default']);
    for (const t of telemetry) expect(t.spec.tracing).toEqual([{ providers: [{ name: 'otel-tracing' }], randomSamplingPercentage: samplingPercent }]);
    for (const deployment of deployments) {
      const env = Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: KubeObject) => [e.name, e.value]));
      expect(env).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://${backend!.host}:4317`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_SERVICE_NAME: deployment.metadata.labels['app.kubernetes.io/name'],
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: String(samplingPercent / 100),
      });
    }
  });
});
