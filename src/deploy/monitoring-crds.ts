/**
 * The Prometheus Operator's (`monitoring.coreos.com`) and KEDA's (`keda.sh`) CRDs, installed from the bundles committed
 * in imports/crds/ for an environment with `observability.crds: 'install'`. Only the CRDs: the operators themselves
 * (Prometheus Operator, Alertmanager, KEDA) are the cluster's, as docs/observability.md says.
 */
import { join } from 'node:path';
import type * as pulumi from '@pulumi/pulumi';
import { REPOSITORY_ROOT } from '../images/services';
import type { PlatformSpec } from '../description/types';
import { KEDA, PROMETHEUS_OPERATOR } from '../versions';
import { CommittedCrds } from './committed-crds';

/** The committed CRD bundles, Prometheus Operator's first. */
export const MONITORING_CRD_FILES: readonly string[] = [
  join(REPOSITORY_ROOT, 'imports', 'crds', `prometheus-operator-${PROMETHEUS_OPERATOR.version}.yaml`),
  join(REPOSITORY_ROOT, 'imports', 'crds', `keda-${KEDA.version}.yaml`),
];

/** Whether the environment asks the program to install the CRDs: it has a Prometheus, and `crds: 'install'`. */
export function installsMonitoringCrds(spec: Pick<PlatformSpec, 'observability'>): boolean {
  return spec.observability.prometheus !== undefined && spec.observability.crds === 'install';
}

/** The monitoring CRDs, one resource each, kept on destroy. */
export class MonitoringCrds extends CommittedCrds {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('mesh-platform:deploy:MonitoringCrds', name, MONITORING_CRD_FILES, opts);
  }
}
