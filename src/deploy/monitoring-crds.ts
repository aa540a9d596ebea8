/**
 * The Prometheus Operator's (`monitoring.coreos.com`) and KEDA's (`keda.sh`) CRDs, installed from the bundles committed
 * in imports/crds/ (the same files the bindings and the validator's schemas are made from, at the versions
 * src/versions.ts pins) for an environment with `observability.crds: 'install'`. Only the CRDs: the operators
 * themselves (Prometheus Operator, Alertmanager, KEDA) are the cluster's, as docs/observability.md says.
 */
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { REPOSITORY_ROOT } from '../images/services';
import type { PlatformSpec } from '../spec/types';
import { KEDA, PROMETHEUS_OPERATOR } from '../versions';
import { bundleObjects } from './gateway-api-crds';
import { objectResource } from './kubernetes-object';

/** The committed CRD bundles, Prometheus Operator's first. */
export const MONITORING_CRD_FILES: readonly string[] = [
  join(REPOSITORY_ROOT, 'imports', 'crds', `prometheus-operator-${PROMETHEUS_OPERATOR.version}.yaml`),
  join(REPOSITORY_ROOT, 'imports', 'crds', `keda-${KEDA.version}.yaml`),
];

/** Whether the environment asks the program to install the CRDs: it has a Prometheus, and `crds: 'install'`. */
export function installsMonitoringCrds(spec: Pick<PlatformSpec, 'observability'>): boolean {
  return spec.observability.prometheus !== undefined && spec.observability.crds === 'install';
}

/** One resource per CRD (typed, so Pulumi awaits each CRD's establishment before the objects of its kinds). */
export class MonitoringCrds extends pulumi.ComponentResource {
  /** The applied CRDs' resources. */
  public readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('mesh-platform:deploy:MonitoringCrds', name, {}, opts);
    // Kept on destroy, as Helm keeps a chart's CRDs: deleting a CRD deletes every object of its kind in the cluster,
    // other teams' monitors and rules included.
    this.resources = MONITORING_CRD_FILES.flatMap(bundleObjects).map((object) => objectResource(object, { parent: this, retainOnDelete: true }));
    this.registerOutputs({ count: this.resources.length });
  }
}
