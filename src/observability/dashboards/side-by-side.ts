/**
 * What a service's dashboard puts side by side: under static delivery its versions (a Deployment each, told apart by
 * the `version` label); under progressive delivery Flagger's two workloads, the primary (`<name>-primary`, serving
 * the stable release) beside the canary (`<name>`, the Deployment the platform generates), whose pods share their
 * version and differ in the `app` label Flagger rewrites on the primary's.
 */
import { REQUEST_LABELS } from '../../../services/kit/metric-vocabulary';
import { isProgressive } from '../../description/delivery-schema';
import { WORKLOAD_LABEL } from '../../description/names/labels';
import { deploymentName, primaryName, progressiveDeploymentName } from '../../description/names/workloads';
import { kedaAutoscalerName } from '../../description/names/observability';
import type { ServiceSpec } from '../../description/types';
import { VERSION_LABELS, WORKLOAD_LABELS } from '../queries';

/** One compared workload. */
export interface ComparedWorkload {
  /** Its value of {@link SideBySide.label} on the series: the version, or the primary's or canary's `app`. */
  readonly series: string;
  /** Its Deployment (Flagger's primary Deployment for the primary). */
  readonly deployment: string;
  /** The HPA that scales it: its own, or for a ScaledObject the one KEDA creates (`keda-hpa-<name>`). */
  readonly autoscaler: string;
}

/** How a service's workloads are compared. */
export interface SideBySide {
  /** The series label that tells them apart (`version` or `app`). */
  readonly label: string;
  /** Labels the side-by-side panels aggregate by. */
  readonly by: readonly string[];
  /** Grafana's legend of one series, e.g. `{{version}}`. */
  readonly legend: string;
  /** The workloads, stable first. */
  readonly workloads: readonly ComparedWorkload[];
  /** What is compared, in a phrase for panel descriptions. */
  readonly what: string;
}

/** The HPA of a Deployment (its own, or KEDA's for a service scaled on requests per second; Flagger copies either for the primary). */
const autoscalerOf = (service: ServiceSpec, deployment: string) =>
  (service.autoscaling.requestsPerSecond === undefined ? deployment : kedaAutoscalerName(deployment));

/** The workloads of a service's dashboard and the label that tells them apart. */
export function sideBySide(service: ServiceSpec): SideBySide {
  if (isProgressive(service)) {
    const canary = progressiveDeploymentName(service.name);
    const workloads = [primaryName(canary), canary].map((deployment) => ({ series: deployment, deployment, autoscaler: autoscalerOf(service, deployment) }));
    return { label: WORKLOAD_LABEL, by: WORKLOAD_LABELS, legend: `{{${WORKLOAD_LABEL}}}`, workloads, what: `Flagger's primary (${workloads[0].series}) and canary (${canary})` };
  }
  const workloads = service.versions.map((version) => {
    const deployment = deploymentName(service.name, version.name);
    return { series: version.name, deployment, autoscaler: autoscalerOf(service, deployment) };
  });
  return { label: REQUEST_LABELS.version, by: VERSION_LABELS, legend: `{{${REQUEST_LABELS.version}}}`, workloads, what: 'the versions' };
}
