/**
 * A service's dashboard: its workloads side by side (./side-by-side.ts: the stable version beside the canary, or
 * Flagger's primary beside its canary) for traffic, errors, latency and saturation; the configured canary weights, or
 * the progressive delivery's steps, beside the observed split; the error budget its availability objective leaves;
 * each workload's replicas against its autoscaler's bounds.
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PROCESS_METRICS, REQUEST_LABELS } from '../../../services/kit/metric-vocabulary';
import { describeSteps, isProgressive } from '../../description/delivery-schema';
import { dashboardUid } from '../../description/names/observability';
import type { PlatformSpec, ServiceSpec } from '../../description/types';
import { SLO_WINDOW_DAYS, errorBudget } from '../burn-rates';
import {
  RECORDED_QUANTILES, autoscalerBound, cpuCoresPerPod, deploymentReplicas, errorBudgetRemaining, errorRatioOrZero,
  eventLoopLagPerPod, latencyQuantile, queryTarget, requestRate, residentMemoryPerPod, trafficShare,
} from '../queries';
import { RATE_INTERVAL, markdown, platformDashboard, sideBySidePanel, stat, timeSeries, type PanelQuery } from './panels';
import { sideBySide } from './side-by-side';

/**
 * The canary weights of the resolved description, as a Markdown table; under progressive delivery the steps Flagger
 * takes (it sets the weights). Not the images: a deploy pins them by digest, and the dashboard would change with
 * every build.
 */
function weightsTable(service: ServiceSpec): string {
  if (isProgressive(service)) {
    const { delivery } = service;
    return [
      'Progressive delivery (Flagger sets the weights):', '',
      '| Canary steps | Max weight | Interval | Failed checks before rollback |', '| --- | --- | --- | --- |',
      `| ${describeSteps(delivery)} | ${delivery.maxWeight}% | ${delivery.interval} | ${delivery.threshold} |`,
    ].join('\n');
  }
  const rows = service.versions.map((version) => `| ${version.name} | ${version.weight}% |`);
  const header = service.canary.header
    ? `\n\nRequests with \`${service.canary.header.name}: ${service.canary.header.value}\` go to ${service.canary.header.version} whatever the weights.`
    : '';
  return ['| Version | Weight |', '| --- | --- |', ...rows].join('\n') + header;
}

/** The dashboard of one service of one environment. */
export function serviceDashboard(platform: PlatformSpec, service: ServiceSpec): Dashboard {
  const target = queryTarget(platform, service);
  const compared = sideBySide(service);
  const { by, legend } = compared;
  const quantiles: PanelQuery[] = RECORDED_QUANTILES.map((quantile) => ({
    expr: latencyQuantile(target, quantile, RATE_INTERVAL, by),
    legend: `${legend} p${quantile * 100}`,
  }));
  const { availabilityPercent, latency } = service.slo;
  const replicas: PanelQuery[] = compared.workloads.flatMap((workload) => [
    { expr: deploymentReplicas(platform.namespace, workload.deployment), legend: `${workload.series} replicas` },
    { expr: autoscalerBound('min', platform.namespace, workload.autoscaler), legend: `${workload.series} min` },
    { expr: autoscalerBound('max', platform.namespace, workload.autoscaler), legend: `${workload.series} max` },
  ]);

  const description = `${service.name} of ${platform.name} in ${platform.environment}: ${compared.what} side by side.`;
  return platformDashboard(platform, dashboardUid(platform, service.name), service.name, description)
    .withRow(new RowBuilder('Traffic and errors, side by side'))
    .withPanel(sideBySidePanel({
      title: 'Request rate', unit: 'reqps', expr: requestRate(target, RATE_INTERVAL, by), legend,
      description: `Requests per second each of ${compared.what} answers (probes and scrapes left out).`,
    }))
    .withPanel(sideBySidePanel({
      title: 'Error ratio', unit: 'percentunit', expr: errorRatioOrZero(target, RATE_INTERVAL, by), legend,
      description: `Share of the requests of each of ${compared.what} answered with a 5xx (${REQUEST_LABELS.statusCode}).`,
    }))
    .withPanel(timeSeries({
      title: 'Latency p50 / p95 / p99', unit: 's', width: 24,
      description: `Latency quantiles of each of ${compared.what}, from the request histogram. Objective: ${latency.percentile}% within ${latency.thresholdMs} ms.`,
      queries: quantiles,
    }))
    .withRow(new RowBuilder('Canary and error budget'))
    .withPanel(markdown(
      'Configured canary weights',
      'The traffic weights (or progressive steps) of the platform description for this environment (not a query: change them in the description).',
      weightsTable(service), 8,
    ))
    .withPanel(sideBySidePanel({
      title: 'Observed traffic split', unit: 'percentunit', width: 8, expr: trafficShare(target, RATE_INTERVAL, by), legend,
      description: `The share of the requests of each of ${compared.what}, to compare with the configured weights.`,
    }))
    .withPanel(stat({
      title: 'Error budget remaining', unit: 'percentunit', width: 8,
      description: `Share of the ${SLO_WINDOW_DAYS}-day error budget of the ${availabilityPercent}% availability objective left: 1 − 5xx ÷ (budget × requests).`,
      queries: [{ expr: errorBudgetRemaining(target, errorBudget(availabilityPercent), `${SLO_WINDOW_DAYS}d`), legend: service.name }],
    }))
    .withRow(new RowBuilder('Saturation, side by side (busiest pod)'))
    .withPanel(sideBySidePanel({
      title: 'CPU', unit: 'short', width: 8, expr: cpuCoresPerPod(target, RATE_INTERVAL, by), legend,
      description: `CPU cores used by the busiest pod of each of ${compared.what} (${PROCESS_METRICS.cpuSecondsTotal}).`,
    }))
    .withPanel(sideBySidePanel({
      title: 'Memory', unit: 'bytes', width: 8, expr: residentMemoryPerPod(target, by), legend,
      description: `Resident memory of the largest pod of each of ${compared.what} (${PROCESS_METRICS.residentMemoryBytes}).`,
    }))
    .withPanel(sideBySidePanel({
      title: 'Event-loop lag', unit: 's', width: 8, expr: eventLoopLagPerPod(target, by), legend,
      description: `Event-loop lag of the most lagging pod of each of ${compared.what} (${PROCESS_METRICS.eventLoopLagSeconds}).`,
    }))
    .withRow(new RowBuilder('Scaling'))
    .withPanel(timeSeries({
      title: 'Replicas and autoscaler bounds', unit: 'short', width: 24,
      description: `Pods of the Deployment of each of ${compared.what} against its autoscaler's min and max (kube-state-metrics; a ScaledObject's through the HPA KEDA creates).`,
      queries: replicas,
    }))
    .build();
}
