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

/** The overview first, then a dashboard per service in the description's order; none without a Prometheus. */
export function platformDashboards(platform: PlatformSpec): PlatformDashboard[] {
  if (!platform.observability.prometheus) return [];
  return [overviewDashboard(platform), ...platform.services.map((service) => serviceDashboard(platform, service))]
    .map((dashboard) => ({ uid: dashboard.uid!, dashboard }));
}

/** A dashboard's JSON as Grafana imports it (and the sidecar reads it from the ConfigMap). */
export const dashboardJson = (dashboard: Dashboard) => `${JSON.stringify(dashboard, null, 2)}\n`;
