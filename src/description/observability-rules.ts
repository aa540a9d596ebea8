/** Cross-field rules of the observability description, and the resolution of each service's SLO over the defaults. */
import type { z } from 'zod';
import { LATENCY_BUCKETS } from '../../services/kit/metric-vocabulary';
import { HIGHEST_BURN_RATE, errorBudget } from '../observability/burn-rates';
import type { ConfigIssue } from './errors';
import type { SloSpec } from './observability-schema';
import type { platformSchema } from './schema';

type Platform = z.output<typeof platformSchema>;
type ServiceSlo = Platform['services'][number]['slo'];

/** The SLO of a service: its own fields over the environment's defaults. */
export function resolveSlo(defaults: SloSpec, own: ServiceSlo): SloSpec {
  return {
    availabilityPercent: own?.availabilityPercent ?? defaults.availabilityPercent,
    latency: { ...defaults.latency, ...Object.fromEntries(Object.entries(own?.latency ?? {}).filter(([, v]) => v !== undefined)) },
  };
}

/** The latency histogram's bucket bounds in milliseconds, as users write thresholds. */
export const LATENCY_BUCKETS_MS: readonly number[] = LATENCY_BUCKETS.map((seconds) => Math.round(seconds * 1000));

/** The issues of one SLO, reported at `at` (the service's `slo` or the environment's defaults). */
function sloIssues(slo: SloSpec, at: string, own: ServiceSlo | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { thresholdMs } = slo.latency;
  if (!LATENCY_BUCKETS_MS.includes(thresholdMs) && (own === undefined || own.latency?.thresholdMs !== undefined)) {
    const above = LATENCY_BUCKETS_MS.find((bucket) => bucket > thresholdMs);
    const below = [...LATENCY_BUCKETS_MS].reverse().find((bucket) => bucket < thresholdMs);
    const between = below !== undefined && above !== undefined ? `falls between the buckets ${below} and ${above}` : 'is outside the buckets';
    issues.push({
      path: `${at}.latency.thresholdMs`,
      message: `${thresholdMs} ms ${between} of the services' latency histogram, so no query can count the requests under it (buckets, ms: ${LATENCY_BUCKETS_MS.join(', ')})`,
      fix: `use a bucket, e.g. ${[below, above].filter((b) => b !== undefined).join(' or ')}, or add ${thresholdMs / 1000} to LATENCY_BUCKETS in services/kit/metric-vocabulary.ts`,
    });
  }
  const budget = errorBudget(slo.availabilityPercent);
  if (HIGHEST_BURN_RATE * budget > 1 && (own === undefined || own.availabilityPercent !== undefined)) {
    const lowest = Math.ceil((100 - 100 / HIGHEST_BURN_RATE) * 100) / 100;
    issues.push({
      path: `${at}.availabilityPercent`,
      message: `an objective of ${slo.availabilityPercent}% leaves an error budget of ${Number((budget * 100).toPrecision(6))}%, so the fastest page (burn rate ${HIGHEST_BURN_RATE}) would need an error ratio above 100% and could never fire`,
      fix: `set availabilityPercent to ${lowest} or more`,
    });
  }
  return issues;
}

/** Every cross-field issue of the observability description; empty when consistent. */
export function checkObservabilityRules(platform: Platform): ConfigIssue[] {
  const issues = sloIssues(platform.slo, 'slo', undefined);
  const { prometheus, alerting } = platform.observability;
  if (alerting && !prometheus) {
    issues.push({
      path: 'observability.alerting',
      message: 'alert routing needs the Prometheus that evaluates the alerts',
      fix: 'set observability.prometheus (e.g. {}), or remove observability.alerting',
    });
  }
  for (const service of platform.services) {
    const at = `services.${service.name}`;
    if (service.slo) issues.push(...sloIssues(resolveSlo(platform.slo, service.slo), `${at}.slo`, service.slo));
    if (service.autoscaling.requestsPerSecond !== undefined && !prometheus) {
      issues.push({
        path: `${at}.autoscaling.requestsPerSecond`,
        message: 'scaling on requests per second reads the request rate from Prometheus, and this environment names none',
        fix: 'set observability.prometheus (e.g. {}), or remove autoscaling.requestsPerSecond to scale on CPU and memory',
      });
    }
  }
  return issues;
}
