/**
 * Flagger's CRDs (`flagger.app`: Canary, MetricTemplate, AlertProvider), installed from the bundle committed in
 * imports/crds/ (`npm run import:delivery`, at the version src/versions.ts pins) for an environment with a progressive
 * service and `delivery.crds: 'install'`. Only the CRDs: Flagger itself is the cluster's (docs/delivery.md).
 */
import { join } from 'node:path';
import type * as pulumi from '@pulumi/pulumi';
import { REPOSITORY_ROOT } from '../images/services';
import { isProgressive } from '../description/delivery-schema';
import type { PlatformSpec } from '../description/types';
import { FLAGGER } from '../versions';
import { CommittedCrds } from './committed-crds';

/** The committed bundle of Flagger's CRDs. */
export const DELIVERY_CRD_FILES: readonly string[] = [join(REPOSITORY_ROOT, 'imports', 'crds', `flagger-${FLAGGER.version}.yaml`)];

/** Whether the environment asks the program to install them: a service is delivered progressively, and `crds: 'install'`. */
export function installsDeliveryCrds(spec: Pick<PlatformSpec, 'delivery' | 'services'>): boolean {
  return spec.services.some(isProgressive) && spec.delivery.crds === 'install';
}

/** Flagger's CRDs, one resource each, kept on destroy. */
export class DeliveryCrds extends CommittedCrds {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('mesh-platform:deploy:DeliveryCrds', name, DELIVERY_CRD_FILES, opts);
  }
}
