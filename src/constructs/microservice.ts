/**
 * A microservice: its identity (ServiceAccount), settings (ConfigMap, and a Secret only when the environment supplies
 * values), its Service, and one `ServiceVersion` per deployed version.
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { configMapName, serviceAccountName } from '../description/names/workloads';
import { meshServiceLabels } from '../description/names/mesh';
import { serviceLabels, serviceSelector } from '../description/names/labels';
import type { PlatformSpec, ServiceSpec } from '../description/types';
import { ServiceVersion } from './service-version';
import { isProgressive } from '../description/delivery-schema';

/** Props of `Microservice`. */
export interface MicroserviceProps {
  /** The resolved platform. */
  readonly platform: PlatformSpec;
  /** The service to model. */
  readonly service: ServiceSpec;
}

/** Every Kubernetes object of one service (its Istio objects are in `mesh/`). */
export class Microservice extends Construct {
  /** The versions, in declaration order. */
  readonly versions: readonly ServiceVersion[];

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    const { platform, service } = props;
    const metadata = (name: string) => ({ name, namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) });

    // The token is not mounted: the services never call the Kubernetes API (Istio projects its own token).
    new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: metadata(serviceAccountName(service.name)), automountToken: false });

    if (Object.keys(service.config).length > 0) {
      new kplus.ConfigMap(this, 'Config', { metadata: metadata(configMapName(service.name)), data: { ...service.config } });
    }

    // Secret values reach the output only when the environment passes them in on purpose (local dev);
    // otherwise the pods reference a Secret that the deployment (Pulumi) or an operator creates.
    if (service.secret?.values) {
      new kplus.Secret(this, 'Secret', { metadata: metadata(service.secret.name), stringData: { ...service.secret.values } });
    }

    const serviceMetadata = metadata(service.name);
    // Under progressive delivery Flagger creates the apex Service (and `-primary`, `-canary`).
    if (!isProgressive(service)) new kplus.k8s.KubeService(this, 'Service', {
      // In ambient mode the Service names the waypoint that handles its L7 traffic.
      metadata: { ...serviceMetadata, labels: { ...serviceMetadata.labels, ...meshServiceLabels(platform) } },
      spec: {
        type: 'ClusterIP',
        selector: serviceSelector(service.name),
        ports: service.ports.map((port) => ({
          name: port.name,
          port: port.port,
          targetPort: kplus.k8s.IntOrString.fromString(port.name),
          protocol: 'TCP',
          appProtocol: port.appProtocol,
        })),
      },
    });

    this.versions = service.versions.map((version) => new ServiceVersion(this, version.name, { platform, service, version }));
  }
}
