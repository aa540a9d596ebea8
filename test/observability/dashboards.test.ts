/**
 * The Grafana dashboards: in every environment and mode, an overview and a dashboard per service whose panels compare
 * the versions (a series per version, legend by version), or for a progressive service Flagger's primary and canary
 * (a series per `app`, the label Flagger rewrites; their Deployments and autoscalers those of the cluster view), query the data source variable, and are shipped as
 * ConfigMaps for Grafana's sidecar; every panel query is listed with its path and parses as PromQL.
 */
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dataquery } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROCESS_METRICS } from '../../services/kit/metric-vocabulary';
import { platformDashboards } from '../../src/observability/dashboards/dashboards';
import { dashboardPanelTargets } from '../../src/observability/dashboards/panel-targets';
import { errorBudgetRemaining, queryTarget } from '../../src/observability/queries';
import { synthesizePlatform } from '../../src/platform';
import { dashboardConfigMapName, dashboardUid, overviewDashboardUid } from '../../src/description/names/observability';
import type { ServiceSpec } from '../../src/description/types';
import { TEST_IMAGES, clusterView, ofKind, synthesizeVariants, type KubeObject } from '../support/platform';
import { promqlSyntaxErrors } from '../support/promql';

const variants = synthesizeVariants();

/** The dashboards an environment ships, from their ConfigMaps, by UID. */
function shippedDashboards(objects: readonly KubeObject[]): Map<string, Dashboard> {
  const dashboards = new Map<string, Dashboard>();
  for (const configMap of ofKind(objects, 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1')) {
    for (const json of Object.values(configMap.data as Record<string, string>)) {
      const dashboard = JSON.parse(json) as Dashboard;
      dashboards.set(dashboard.uid!, dashboard);
    }
  }
  return dashboards;
}

const panels = (dashboard: Dashboard) => (dashboard.panels ?? []).filter((p): p is Panel => p.type !== 'row') as Panel[];
const panel = (dashboard: Dashboard, title: string) => {
  const found = panels(dashboard).find((p) => p.title === title);
  if (!found) throw new Error(`${dashboard.uid}: no panel "${title}" (panels: ${panels(dashboard).map((p) => p.title).join(', ')})`);
  return found;
};
const queries = (p: Panel) => (p.targets ?? []) as Dataquery[];

/** Panels that compare versions (or Flagger's workloads): each query groups by the label that tells them apart and names its series by it. */
const PER_VERSION_PANELS = ['Request rate', 'Error ratio', 'Latency p50 / p95 / p99', 'Observed traffic split', 'CPU', 'Memory', 'Event-loop lag'];

describe.each(Object.entries(variants))('dashboards of %s', (_name, { spec, objects }) => {
  const dashboards = shippedDashboards(objects);
  /** The objects with those Flagger creates for a Canary (its primary Deployment and autoscaler). */
  const cluster = clusterView(objects);

  it('ship an overview and one dashboard per service as ConfigMaps labelled for Grafana\'s sidecar, in the platform namespace', () => {
    expect([...dashboards.keys()].sort()).toEqual([overviewDashboardUid(spec), ...spec.services.map((s) => dashboardUid(spec, s.name))].sort());
    for (const uid of dashboards.keys()) {
      const configMap = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === dashboardConfigMapName(uid))!;
      expect(configMap.metadata.namespace).toBe(spec.namespace);
      expect(Object.keys(configMap.data)).toEqual([`${uid}.json`]);
    }
  });

  it('query the Prometheus data source variable from every panel, and show their legends', () => {
    for (const dashboard of dashboards.values()) {
      expect(dashboard.templating?.list).toEqual([expect.objectContaining({ type: 'datasource', name: 'datasource', query: 'prometheus' })]);
      for (const p of panels(dashboard).filter((p) => p.type !== 'text')) {
        expect({ panel: p.title, datasource: p.datasource }).toEqual({ panel: p.title, datasource: { type: 'prometheus', uid: '${datasource}' } });
        expect(queries(p).length).toBeGreaterThan(0);
        if (p.type === 'timeseries') expect((p.options as { legend: { showLegend: boolean } }).legend.showLegend).toBe(true);
      }
    }
  });

  describe.each(spec.services.map((s) => [s.name, s] as [string, ServiceSpec]))('%s', (service, serviceSpec) => {
    const dashboard = () => dashboards.get(dashboardUid(spec, service))!;

    // Flagger's primary and canary pods share their version: only the `app` label it rewrites tells them apart.
    const split = serviceSpec.delivery.mode === 'progressive' ? 'app' : 'version';

    it(`compares its workloads side by side: every such panel groups by ${split} and names its series by it`, () => {
      for (const title of PER_VERSION_PANELS) {
        for (const query of queries(panel(dashboard(), title))) {
          expect({ title, expr: query.expr }).toEqual({ title, expr: expect.stringMatching(new RegExp(`(sum|max) by \\(namespace, service, ${split}[,)]`)) });
          expect(query.legendFormat).toMatch(new RegExp(`^\\{\\{${split}\\}\\}`));
          expect(query.expr).toContain(`service="${service}"`);
        }
      }
      expect(queries(panel(dashboard(), 'Latency p50 / p95 / p99')).map((q) => q.expr.slice(0, 25)))
        .toEqual(['histogram_quantile(0.5, s', 'histogram_quantile(0.95, ', 'histogram_quantile(0.99, ']);
    });

    it('reads saturation from the services\' process metrics', () => {
      expect(queries(panel(dashboard(), 'CPU'))[0].expr).toContain(PROCESS_METRICS.cpuSecondsTotal);
      expect(queries(panel(dashboard(), 'Memory'))[0].expr).toContain(PROCESS_METRICS.residentMemoryBytes);
      expect(queries(panel(dashboard(), 'Event-loop lag'))[0].expr).toContain(PROCESS_METRICS.eventLoopLagSeconds);
    });

    it('shows the configured weights of the resolved description, or the progressive delivery\'s steps', () => {
      const content = (panel(dashboard(), 'Configured canary weights').options as { content: string }).content;
      const { delivery } = serviceSpec;
      if (delivery.mode === 'progressive') {
        expect(content).toContain(`| ${delivery.maxWeight}% | ${delivery.interval} | ${delivery.threshold} |`);
      } else {
        for (const version of serviceSpec.versions) expect(content).toContain(`| ${version.name} | ${version.weight}% |`);
      }
    });

    it('computes the error budget left from its availability objective over 30 days, as the promtool tests check it', () => {
      const [budget] = queries(panel(dashboard(), 'Error budget remaining'));
      const allowed = Number(((100 - serviceSpec.slo.availabilityPercent) / 100).toPrecision(12));
      expect(budget.expr).toMatch(new RegExp(`^1 - \\(.*\\[30d\\].*\\) / ${String(allowed).replace('.', '\\.')}$`));
      expect(budget.expr).toBe(errorBudgetRemaining(queryTarget(spec, serviceSpec), allowed, '30d'));
      expect(budget.instant).toBe(true);
    });

    it('sets the replicas of each Deployment of the service in the cluster (Flagger\'s primary too) against the bounds of the autoscaler that scales it', () => {
      const exprs = queries(panel(dashboard(), 'Replicas and autoscaler bounds')).map((q) => q.expr);
      const deployments = ofKind(cluster, 'Deployment').filter((d) => d.spec.template.metadata.labels['app.kubernetes.io/name'] === service);
      expect(deployments.length).toBe(split === 'app' ? 2 : serviceSpec.versions.length);
      for (const deployment of deployments.map((d) => d.metadata.name as string)) {
        const scaler = [...ofKind(cluster, 'HorizontalPodAutoscaler'), ...ofKind(cluster, 'ScaledObject')].find((a) => a.spec.scaleTargetRef.name === deployment)!;
        const autoscaler = scaler.kind === 'ScaledObject' ? `keda-hpa-${scaler.metadata.name}` : scaler.metadata.name;
        expect(exprs).toContain(`max(kube_deployment_status_replicas{namespace="${spec.namespace}",deployment="${deployment}"})`);
        expect(exprs).toContain(`max(kube_horizontalpodautoscaler_spec_min_replicas{namespace="${spec.namespace}",horizontalpodautoscaler="${autoscaler}"})`);
        expect(exprs).toContain(`max(kube_horizontalpodautoscaler_spec_max_replicas{namespace="${spec.namespace}",horizontalpodautoscaler="${autoscaler}"})`);
      }
    });
  });

  it('the overview has a series per service for rate, errors and latency, and each service\'s error budget', () => {
    const overview = dashboards.get(overviewDashboardUid(spec))!;
    for (const title of ['Request rate', 'Error ratio', 'Latency p99', 'Error budget remaining']) {
      expect(queries(panel(overview, title)).map((q) => q.legendFormat)).toEqual(spec.services.map((s) => s.name));
    }
  });

  it('dashboardPanelTargets lists every panel query with its path, as PromQL Prometheus parses', () => {
    const targets = dashboardPanelTargets(spec);
    const shipped = [...dashboards.values()].flatMap((d) => panels(d).flatMap((p) => queries(p).map((q) => `${d.uid} / ${p.title} / ${q.refId}`)));
    expect(targets.map((t) => `${t.dashboard} / ${t.panel} / ${t.refId}`)).toEqual(shipped);
    expect(new Set(shipped).size).toBe(shipped.length);
    for (const { dashboard, panel: title, refId, expr } of targets) {
      expect({ dashboard, title, refId, expr, errors: promqlSyntaxErrors(expr) }).toEqual({ dashboard, title, refId, expr, errors: [] });
      expect(expr).not.toContain('$');
    }
    expect(dashboardPanelTargets(spec, { rateInterval: '2m' })[0].expr).toContain('[2m]');
  });
});

describe('dashboard configuration', () => {
  it('takes the ConfigMaps\' labels and namespace from observability.dashboards', () => {
    const { objects } = synthesizePlatform('staging', {
      images: TEST_IMAGES,
      overrides: { observability: { dashboards: { configMapLabels: { 'grafana.example/dashboard': 'shop' }, namespace: 'grafana' } } },
    });
    const configMaps = ofKind(objects, 'ConfigMap').filter((c) => c.metadata.name.endsWith('-dashboard'));
    expect(configMaps.length).toBeGreaterThan(1);
    for (const configMap of configMaps) {
      expect(configMap.metadata.namespace).toBe('grafana');
      expect(configMap.metadata.labels['grafana.example/dashboard']).toBe('shop');
      expect(configMap.metadata.labels.grafana_dashboard).toBeUndefined();
    }
  });

  it('without a Prometheus there is nothing to show: no dashboards', () => {
    const { spec } = variants.staging;
    const withoutPrometheus = { ...spec, observability: { ...spec.observability, prometheus: undefined } };
    expect(platformDashboards(spec).length).toBe(spec.services.length + 1);
    expect(platformDashboards(withoutPrometheus)).toEqual([]);
    expect(dashboardPanelTargets(withoutPrometheus)).toEqual([]);
  });
});
