/**
 * Everything an environment's `observability` block generates besides tracing (src/mesh/telemetry.ts and the pods'
 * OpenTelemetry variables) and load scaling (the versions' ScaledObjects): with `prometheus`, the PodMonitors, the
 * PrometheusRules, the Grafana dashboards' ConfigMaps and, in ambient, Prometheus' access through ztunnel; with
 * `alerting`, the AlertmanagerConfig.
 */
import { Construct } from 'constructs';
import type { PlatformProps } from '../constructs/platform-props';
import { AlertRouting } from './alert-routing';
import { DashboardConfigMaps } from './dashboards/dashboard-config-maps';
import { PodMonitors } from './pod-monitors';
import { PrometheusAccess } from './prometheus-access';
import { SloRules } from './slo-rule-objects';

/** The monitoring objects of one environment. */
export class Observability extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { platform } = props;
    const { prometheus, alerting } = platform.observability;
    if (prometheus) {
      new PodMonitors(this, 'PodMonitors', { platform, prometheus });
      new SloRules(this, 'Rules', { platform, prometheus });
      new DashboardConfigMaps(this, 'Dashboards', { platform });
      if (platform.mesh.dataPlane === 'ambient') new PrometheusAccess(this, 'PrometheusAccess', { platform, prometheus });
    }
    if (alerting) new AlertRouting(this, 'AlertRouting', { platform, alerting });
  }
}
