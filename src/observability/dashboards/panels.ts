/**
 * The panel shapes the platform's dashboards are made of, built with Grafana's foundation SDK: time series with one
 * series per version (legend by version), stats and query-free text. Every expression comes from ../queries.ts; this
 * file only decides how a query is drawn.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder, DashboardLinkBuilder, DashboardLinkType, DatasourceVariableBuilder, type Panel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TextPanelBuilder } from '@grafana/grafana-foundation-sdk/text';
import { PanelBuilder as TimeSeriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { TextMode } from '@grafana/grafana-foundation-sdk/text';
import type { PlatformSpec } from '../../description/types';

/** Name of the dashboards' Prometheus data source variable: every panel queries the data source chosen there. */
export const DATASOURCE_VARIABLE = 'datasource';

/**
 * Window of the panels' rates: Grafana's `$__rate_interval`, at least four scrape intervals whatever the zoom.
 * Not PromQL: {@link dashboardPanelTargets} replaces it before a query is run outside Grafana.
 */
export const RATE_INTERVAL = '$__rate_interval';

const datasource: common.DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

/**
 * What every dashboard of a platform starts with: its UID and title, the platform's and environment's tags, a menu
 * of the platform's other dashboards (found by those tags), read-only (provisioned: edits would be overwritten), and
 * the data source variable offering the Prometheus data sources of the Grafana it is loaded into.
 */
export function platformDashboard(platform: PlatformSpec, uid: string, title: string, description: string): DashboardBuilder {
  const tags = [platform.name, platform.environment];
  return new DashboardBuilder(`${title} (${platform.environment})`)
    .uid(uid)
    .description(`${description} Generated from the platform description; edits are overwritten.`)
    .tags(tags)
    .link(new DashboardLinkBuilder(platform.name).type(DashboardLinkType.Dashboards).tags(tags).asDropdown(true).keepTime(true).includeVars(true))
    .readonly()
    .time({ from: 'now-3h', to: 'now' })
    .refresh('30s')
    .withVariable(new DatasourceVariableBuilder(DATASOURCE_VARIABLE).label('Prometheus').type('prometheus'));
}

/** One query of a panel: its PromQL (from ../queries.ts) and how its series are named. */
export interface PanelQuery {
  readonly expr: string;
  /** Grafana's legend template, e.g. `{{version}} p99`, or a fixed name. */
  readonly legend: string;
}

/** refIds A, B, C… in order. */
const refId = (index: number) => String.fromCharCode(65 + index);

function targets(queries: readonly PanelQuery[], instant = false): cog.Builder<cog.Dataquery>[] {
  return queries.map((query, index) => {
    const target = new DataqueryBuilder().expr(query.expr).legendFormat(query.legend).refId(refId(index));
    return instant ? target.instant() : target.range();
  });
}

/** What a panel with queries shows. */
export interface QueryPanelOptions {
  readonly title: string;
  /** What the panel shows, in a sentence (Grafana's panel info). */
  readonly description: string;
  /** Grafana unit id, e.g. `reqps`, `percentunit`, `s`, `bytes`. */
  readonly unit: string;
  readonly queries: readonly PanelQuery[];
  /** Panel width in grid columns (of 24). @default 12 */
  readonly width?: number;
}

/** A time series panel with its legend shown as a table (last and max per series), so versions compare at a glance. */
export function timeSeries(options: QueryPanelOptions): cog.Builder<Panel> {
  return new TimeSeriesPanelBuilder()
    .title(options.title).description(options.description).datasource(datasource).unit(options.unit)
    .span(options.width ?? 12).height(8).min(0)
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.Table).placement(LegendPlacement.Bottom).calcs(['lastNotNull', 'max']))
    .targets(targets(options.queries));
}

/**
 * A time series panel of one query with a series per compared workload (./side-by-side.ts), named by `legend`: the
 * stable version beside the canary, or Flagger's primary beside its canary.
 */
export function sideBySidePanel(options: Omit<QueryPanelOptions, 'queries'> & PanelQuery): cog.Builder<Panel> {
  return timeSeries({ ...options, queries: [{ expr: options.expr, legend: options.legend }] });
}

/** A stat panel of the latest value of each query. */
export function stat(options: QueryPanelOptions): cog.Builder<Panel> {
  return new StatPanelBuilder()
    .title(options.title).description(options.description).datasource(datasource).unit(options.unit)
    .span(options.width ?? 12).height(6)
    .targets(targets(options.queries, true));
}

/** A query-free Markdown panel (content generated from the resolved description). */
export function markdown(title: string, description: string, content: string, width = 12): cog.Builder<Panel> {
  return new TextPanelBuilder().title(title).description(description).mode(TextMode.Markdown).content(content).span(width).height(6);
}
