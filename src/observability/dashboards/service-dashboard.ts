/**
 * A service's dashboard: its versions side by side (one series per version: the stable one beside the canary) for
 * traffic, errors, latency and saturation; the configured canary weights beside the observed split; the error budget
 * its availability objective leaves; its replicas against the autoscaler's bounds.
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PROCESS_METRICS, REQUEST_LABELS } from '../../../services/kit/metric-vocabulary';
import { deploymentName, dashboardUid, kedaAutoscalerName } from '../../spec/names';
import type { PlatformSpec, ServiceSpec } from '../../spec/types';
import { SLO_WINDOW_DAYS, errorBudget } from '../burn-rates';
import {
  RECORDED_QUANTILES, autoscalerBound, cpuCoresPerPod, deploymentReplicas, errorBudgetRemaining, errorRatioOrZero,
  eventLoopLagPerPod, latencyQuantile, queryTarget, requestRate, residentMemoryPerPod, trafficShare,
} from '../queries';
import { RATE_INTERVAL, VERSION_LEGEND, markdown, perVersion, platformDashboard, stat, timeSeries, type PanelQuery } from './panels';

/** The autoscaler of a version: its HPA, or for a ScaledObject (requests-per-second scaling) the HPA KEDA creates. */
function autoscalerName(service: ServiceSpec, version: string): string {
  const deployment = deploymentName(service.name, version);
  return service.autoscaling.requestsPerSecond === undefined ? deployment : kedaAutoscalerName(deployment);
}

/**
 * The canary weights of the resolved description, as a Markdown table. Not the images: a deploy pins them by digest,
 * and the dashboard would change with every build.
 */
function weightsTable(service: ServiceSpec): string {
  const rows = service.versions.map((version) => `| ${version.name} | ${version.weight}% |`);
  const header = service.canary.header
    ? `\n\nRequests with \`${service.canary.header.name}: ${service.canary.header.value}\` go to ${service.canary.header.version} whatever the weights.`
    : '';
  return ['| Version | Weight |', '| --- | --- |', ...rows].join('\n') + header;
}

/** The dashboard of one service of one environment. */
export function serviceDashboard(platform: PlatformSpec, service: ServiceSpec): Dashboard {
  const target = queryTarget(platform, service);
  const quantiles: PanelQuery[] = RECORDED_QUANTILES.map((quantile) => ({
    expr: latencyQuantile(target, quantile, RATE_INTERVAL),
    legend: `${VERSION_LEGEND} p${quantile * 100}`,
  }));
  const { availabilityPercent, latency } = service.slo;
  const replicas: PanelQuery[] = service.versions.flatMap((version) => {
    const autoscaler = autoscalerName(service, version.name);
    return [
      { expr: deploymentReplicas(platform.namespace, deploymentName(service.name, version.name)), legend: `${version.name} replicas` },
      { expr: autoscalerBound('min', platform.namespace, autoscaler), legend: `${version.name} min` },
      { expr: autoscalerBound('max', platform.namespace, autoscaler), legend: `${version.name} max` },
    ];
  });

  const description = `${service.name} of ${platform.name} in ${platform.environment}: every version side by side.`;
  return platformDashboard(platform, dashboardUid(platform, service.name), service.name, description)
    .withRow(new RowBuilder('Traffic and errors, per version'))
    .withPanel(perVersion({
      title: 'Request rate', unit: 'reqps', expr: requestRate(target, RATE_INTERVAL),
      description: 'Requests per second each version answers (probes and scrapes left out).',
    }))
    .withPanel(perVersion({
      title: 'Error ratio', unit: 'percentunit', expr: errorRatioOrZero(target, RATE_INTERVAL),
      description: `Share of each version's requests answered with a 5xx (${REQUEST_LABELS.statusCode}).`,
    }))
    .withPanel(timeSeries({
      title: 'Latency p50 / p95 / p99', unit: 's', width: 24,
      description: `Latency quantiles per version, from the request histogram. Objective: ${latency.percentile}% within ${latency.thresholdMs} ms.`,
      queries: quantiles,
    }))
    .withRow(new RowBuilder('Canary and error budget'))
    .withPanel(markdown(
      'Configured canary weights',
      'The traffic weights of the platform description for this environment (not a query: change them in the description).',
      weightsTable(service), 8,
    ))
    .withPanel(perVersion({
      title: 'Observed traffic split', unit: 'percentunit', width: 8, expr: trafficShare(target, RATE_INTERVAL),
      description: 'Each version\'s share of the requests, to compare with the configured weights.',
    }))
    .withPanel(stat({
      title: 'Error budget remaining', unit: 'percentunit', width: 8,
      description: `Share of the ${SLO_WINDOW_DAYS}-day error budget of the ${availabilityPercent}% availability objective left: 1 − 5xx ÷ (budget × requests).`,
      queries: [{ expr: errorBudgetRemaining(target, errorBudget(availabilityPercent), `${SLO_WINDOW_DAYS}d`), legend: service.name }],
    }))
    .withRow(new RowBuilder('Saturation, per version (busiest pod)'))
    .withPanel(perVersion({
      title: 'CPU', unit: 'short', width: 8, expr: cpuCoresPerPod(target, RATE_INTERVAL),
      description: `CPU cores used by the busiest pod of each version (${PROCESS_METRICS.cpuSecondsTotal}).`,
    }))
    .withPanel(perVersion({
      title: 'Memory', unit: 'bytes', width: 8, expr: residentMemoryPerPod(target),
      description: `Resident memory of the largest pod of each version (${PROCESS_METRICS.residentMemoryBytes}).`,
    }))
    .withPanel(perVersion({
      title: 'Event-loop lag', unit: 's', width: 8, expr: eventLoopLagPerPod(target),
      description: `Event-loop lag of the most lagging pod of each version (${PROCESS_METRICS.eventLoopLagSeconds}).`,
    }))
    .withRow(new RowBuilder('Scaling'))
    .withPanel(timeSeries({
      title: 'Replicas and autoscaler bounds', unit: 'short', width: 24,
      description: 'Pods of each version\'s Deployment against its autoscaler\'s min and max (kube-state-metrics; a ScaledObject\'s through the HPA KEDA creates).',
      queries: replicas,
    }))
    .build();
}
