/**
 * The platform overview: every service of the environment in one place (a series per service), its error budget,
 * its versions and their configured weights; each service's own dashboard has the per-version detail.
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { isProgressive } from '../../description/delivery-schema';
import { overviewDashboardUid } from '../../description/names/observability';
import type { PlatformSpec } from '../../description/types';
import { SLO_WINDOW_DAYS, errorBudget } from '../burn-rates';
import {
  SERVICE_LABELS, errorBudgetRemaining, errorRatioOrZero, latencyQuantile, queryTarget, requestRate, type QueryTarget,
} from '../queries';
import { RATE_INTERVAL, markdown, platformDashboard, stat, timeSeries, type PanelQuery } from './panels';

/** The quantile the overview compares services by. */
const OVERVIEW_QUANTILE = 0.99;

/** The versions and configured weights of every service (or that Flagger sets them), as a Markdown table. */
function versionsTable(platform: PlatformSpec): string {
  const rows = platform.services.map((service) => (isProgressive(service)
    ? `| ${service.name} | ${service.versions.map((version) => version.name).join(', ')}: progressive, Flagger sets the weights |`
    : `| ${service.name} | ${service.versions.map((version) => `${version.name} ${version.weight}%`).join(', ')} |`));
  return ['| Service | Versions (configured weight) |', '| --- | --- |', ...rows].join('\n');
}

/** The overview dashboard of one environment. */
export function overviewDashboard(platform: PlatformSpec): Dashboard {
  const perService = (query: (target: QueryTarget) => string): PanelQuery[] =>
    platform.services.map((service) => ({ expr: query(queryTarget(platform, service)), legend: service.name }));
  const budgets = platform.services.map((service) => ({
    expr: errorBudgetRemaining(queryTarget(platform, service), errorBudget(service.slo.availabilityPercent), `${SLO_WINDOW_DAYS}d`),
    legend: service.name,
  }));
  const description = `Every service of ${platform.name} in ${platform.environment}; the service dashboards compare versions.`;
  return platformDashboard(platform, overviewDashboardUid(platform), `${platform.name} overview`, description)
    .withRow(new RowBuilder('Services'))
    .withPanel(timeSeries({
      title: 'Request rate', unit: 'reqps', width: 8,
      description: 'Requests per second each service answers, all versions together (probes and scrapes left out).',
      queries: perService((target) => requestRate(target, RATE_INTERVAL, SERVICE_LABELS)),
    }))
    .withPanel(timeSeries({
      title: 'Error ratio', unit: 'percentunit', width: 8,
      description: 'Share of each service\'s requests answered with a 5xx.',
      queries: perService((target) => errorRatioOrZero(target, RATE_INTERVAL, SERVICE_LABELS)),
    }))
    .withPanel(timeSeries({
      title: `Latency p${OVERVIEW_QUANTILE * 100}`, unit: 's', width: 8,
      description: `The p${OVERVIEW_QUANTILE * 100} latency of each service, all versions together.`,
      queries: perService((target) => latencyQuantile(target, OVERVIEW_QUANTILE, RATE_INTERVAL, SERVICE_LABELS)),
    }))
    .withRow(new RowBuilder('Objectives and versions'))
    .withPanel(stat({
      title: 'Error budget remaining', unit: 'percentunit',
      description: `Share of each service's ${SLO_WINDOW_DAYS}-day error budget left (its availability objective).`,
      queries: budgets,
    }))
    .withPanel(markdown(
      'Configured versions and weights',
      'The versions and traffic weights of the platform description for this environment (not a query).',
      versionsTable(platform),
    ))
    .build();
}
