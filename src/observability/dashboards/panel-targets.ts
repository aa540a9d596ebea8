/**
 * Every query of every dashboard panel, with where it is (dashboard, panel, refId), as PromQL that Prometheus' HTTP
 * API runs: Grafana's `$__rate_interval` is replaced by a fixed window. The real-Prometheus test runs each of them
 * against the scraped services; a query that returns nothing fails by its path.
 */
import type { Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dataquery } from '@grafana/grafana-foundation-sdk/prometheus';
import type { PlatformSpec } from '../../description/types';
import { platformDashboards } from './dashboards';
import { RATE_INTERVAL } from './panels';

/** One panel query. */
export interface DashboardPanelTarget {
  /** UID of the dashboard. */
  readonly dashboard: string;
  /** Title of the panel. */
  readonly panel: string;
  /** The query's refId in the panel (A, B, …). */
  readonly refId: string;
  /** The PromQL to run, with `$__rate_interval` replaced. */
  readonly expr: string;
  /** The legend template (`{{version}}` where the panel compares versions: the result must carry that label). */
  readonly legend: string;
  /** Whether the panel asks for an instant value (stats) rather than a range. */
  readonly instant: boolean;
}

/** Options of {@link dashboardPanelTargets}. */
export interface DashboardPanelTargetsOptions {
  /** Window that replaces `$__rate_interval` (at least four scrape intervals, as Grafana computes it). @default "1m" */
  readonly rateInterval?: string;
}

/** The panels of a dashboard, those inside collapsed rows included. */
function panelsOf(items: readonly (Panel | RowPanel)[]): Panel[] {
  return items.flatMap((item) => (item.type === 'row' ? panelsOf((item as RowPanel).panels ?? []) : [item as Panel]));
}

/** Every panel query of every dashboard of the environment, in dashboard and panel order. */
export function dashboardPanelTargets(platform: PlatformSpec, options: DashboardPanelTargetsOptions = {}): DashboardPanelTarget[] {
  const rateInterval = options.rateInterval ?? '1m';
  return platformDashboards(platform).flatMap(({ uid, dashboard }) =>
    panelsOf(dashboard.panels ?? []).flatMap((panel) =>
      ((panel.targets ?? []) as Dataquery[]).map((target) => ({
        dashboard: uid,
        panel: panel.title ?? '',
        refId: target.refId ?? '',
        expr: target.expr.replaceAll(RATE_INTERVAL, rateInterval),
        legend: target.legendFormat ?? '',
        instant: target.instant === true,
      }))));
}
