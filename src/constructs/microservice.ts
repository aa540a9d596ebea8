/**
 * A microservice: its identity (ServiceAccount), settings (ConfigMap, and a Secret only when its values are given),
 * its Service, and one `ServiceVersion` per deployed version. Its mesh objects are in src/mesh: `IstioServiceTraffic` or
 * `GatewayApiServiceTraffic`, and `SidecarAccessPolicies` or `AmbientAccessPolicies`.
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { configMapName, serviceAccountName } from '../description/names/workloads';
import { meshServiceLabels } from '../description/names/mesh';
import { serviceLabels, serviceSelector } from '../description/names/labels';
import { isProgressive } from '../description/delivery-schema';
import { ServiceVersion } from './service-version';
import { propsContext } from './placement';
import { checkVersions, resolveWorkload, type MicroserviceProps } from './microservice-props';

/**
 * Every Kubernetes object of one service, its pods hardened to the Pod Security "restricted" profile.
 *
 * @example
 * const chart = new Chart(app, 'team-a', { namespace: 'team-a' });
 * const orders = new Microservice(chart, 'orders', {
 *   name: 'orders',
 *   versions: [{ name: 'v1', image: 'registry.example.com/orders:1.4.2' }],
 *   calls: [{ name: 'payments', port: 8080 }],
 * });
 * orders.deployments.v1.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'high'));
 */
export class Microservice extends Construct {
  /** The versions, in declaration order. */
  readonly versions: readonly ServiceVersion[];
  /** Each version's Deployment, by version name. */
  readonly deployments: Readonly<Record<string, kplus.k8s.KubeDeployment>>;
  /** The ServiceAccount: the pods' identity (their mTLS principal). */
  readonly serviceAccount: kplus.ServiceAccount;
  /** The Service over every version; undefined under progressive delivery, where Flagger creates it. */
  readonly service?: kplus.k8s.KubeService;
  /** The ConfigMap of `config`; undefined without settings. */
  readonly configMap?: kplus.ConfigMap;
  /** The Secret, when `secret.values` are given; undefined when the Secret is created outside the chart. */
  readonly secret?: kplus.Secret;

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    const context = propsContext(this, 'Microservice', props);
    const service = resolveWorkload(context, props);
    checkVersions(context, service, props.versions);
    const { platform } = service;
    const metadata = (name: string) => ({ name, namespace: platform.namespace, labels: serviceLabels(platform, service.name, service.component) });

    // The token is not mounted: the services never call the Kubernetes API (Istio projects its own token).
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: metadata(serviceAccountName(service.name)), automountToken: false });

    if (Object.keys(service.config).length > 0) {
      this.configMap = new kplus.ConfigMap(this, 'Config', { metadata: metadata(configMapName(service.name)), data: { ...service.config } });
    }

    // Secret values reach the output only when they are passed in on purpose (local dev);
    // otherwise the pods reference a Secret that the deployment (Pulumi) or an operator creates.
    if (service.secret?.values) {
      this.secret = new kplus.Secret(this, 'Secret', { metadata: metadata(service.secret.name), stringData: { ...service.secret.values } });
    }

    const serviceMetadata = metadata(service.name);
    // Under progressive delivery Flagger creates the apex Service (and `-primary`, `-canary`).
    if (!isProgressive(service)) this.service = new kplus.k8s.KubeService(this, 'Service', {
      // In ambient mode the Service names the waypoint that handles its L7 traffic.
      metadata: { ...serviceMetadata, labels: { ...serviceMetadata.labels, ...meshServiceLabels({ mesh: { dataPlane: service.dataPlane } }) } },
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

    this.versions = props.versions.map((version) => new ServiceVersion(this, version.name, { ...props, version }));
    this.deployments = Object.fromEntries(this.versions.map((version, index) => [props.versions[index].name, version.deployment]));
  }
}
