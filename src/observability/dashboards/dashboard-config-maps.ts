/**
 * The dashboards as ConfigMaps for Grafana's dashboard sidecar: one per dashboard, labelled with
 * `observability.dashboards.configMapLabels` (the sidecar's default `grafana_dashboard: "1"`), in
 * `observability.dashboards.namespace` (the platform's by default).
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { dashboardConfigMapName } from '../../description/names/observability';
import { platformLabels } from '../../description/names/labels';
import type { PlatformSpec } from '../../description/types';
import { dashboardJson, platformDashboards } from './dashboards';

/** Props of {@link DashboardConfigMaps}. */
export interface DashboardConfigMapsProps {
  /** The resolved platform of one environment (with `observability.prometheus`: otherwise there are no dashboards). */
  readonly platform: PlatformSpec;
}

/** A ConfigMap `<uid>-dashboard` per dashboard, holding `<uid>.json`. */
export class DashboardConfigMaps extends Construct {
  /** Names of the ConfigMaps created, overview first. */
  readonly configMapNames: readonly string[];

  constructor(scope: Construct, id: string, props: DashboardConfigMapsProps) {
    super(scope, id);
    const { platform } = props;
    const { configMapLabels, namespace = platform.namespace } = platform.observability.dashboards;
    this.configMapNames = platformDashboards(platform).map(({ uid, dashboard }) => {
      const name = dashboardConfigMapName(uid);
      new k8s.KubeConfigMap(this, uid, {
        metadata: { name, namespace, labels: { ...platformLabels(platform), ...configMapLabels } },
        data: { [`${uid}.json`]: dashboardJson(dashboard) },
      });
      return name;
    });
  }
}
