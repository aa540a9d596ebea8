/**
 * Every Grafana dashboard of an environment: one per service and the platform overview, generated when the
 * environment has a Prometheus (`observability.prometheus`), from the resolved description.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { PlatformSpec } from '../../description/types';
import { overviewDashboard } from './overview-dashboard';
import { serviceDashboard } from './service-dashboard';

/** One generated dashboard. */
export interface PlatformDashboard {
  /** Its UID (Grafana's `/d/<uid>`), also the base name of its JSON file and of its ConfigMap. */
  readonly uid: string;
  /** The dashboard model Grafana imports. */
  readonly dashboard: Dashboard;
}

/**
 * Built once per spec (specs are frozen): the chart's ConfigMaps and `npm run synth`'s JSON files read the same
 * dashboards, and building them is a good part of synthesizing a large platform.
 */
const built = new WeakMap<PlatformSpec, readonly PlatformDashboard[]>();

/** The overview first, then a dashboard per service in the description's order; none without a Prometheus. */
export function platformDashboards(platform: PlatformSpec): readonly PlatformDashboard[] {
  if (!platform.observability.prometheus) return [];
  let dashboards = built.get(platform);
  if (!dashboards) {
    dashboards = [overviewDashboard(platform), ...platform.services.map((service) => serviceDashboard(platform, service))]
      .map((dashboard) => ({ uid: dashboard.uid!, dashboard }));
    built.set(platform, dashboards);
  }
  return dashboards;
}

/** A dashboard's JSON as Grafana imports it (and the sidecar reads it from the ConfigMap). */
export const dashboardJson = (dashboard: Dashboard) => `${JSON.stringify(dashboard, null, 2)}\n`;
