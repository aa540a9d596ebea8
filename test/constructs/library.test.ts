/**
 * The constructs as a library: a plain cdk8s chart of someone else's, hand-written props (no description, no
 * registry, an environment name the description does not know), the objects checked by the product's own validator.
 */
import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import {
  GatewayApiServiceTraffic, IstioIngress, IstioServiceTraffic, Microservice, NetworkPolicies, PlatformNamespace, SidecarAccessPolicies, hasErrorsOf,
  type MicroserviceProps,
} from './library';

type KubeObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const image = (name: string, tag: string) => `registry.example.com/${name}:${tag}`;
const ordersProps: MicroserviceProps = {
  name: 'orders',
  versions: [{ name: 'v1', image: image('orders', '1.4.2') }, { name: 'v2', image: image('orders', '2.0.0'), env: { FEATURE: 'on' } }],
  calls: [{ name: 'payments', port: 8080 }],
  config: { LOG_LEVEL: 'info' },
  environment: 'qa',
  observability: { tracing: { samplingPercent: 10, backend: { host: 'otel.observability.svc', protocol: 'grpc' } } },
};

/** Team A's chart: its own namespace, two services, a canary, the allow graph, a second wall of NetworkPolicies. */
function teamChart() {
  const chart = new Chart(Testing.app(), 'team-a', { namespace: 'team-a' });
  new PlatformNamespace(chart, 'namespace', { environment: 'qa' });
  const orders = new Microservice(chart, 'orders', ordersProps);
  const payments = new Microservice(chart, 'payments', { name: 'payments', versions: [{ name: 'v1', image: image('payments', '3.1.0') }] });
  const traffic = new IstioServiceTraffic(chart, 'orders-traffic', {
    name: 'orders', versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }], header: { version: 'v2' },
  });
  new IstioServiceTraffic(chart, 'payments-traffic', { name: 'payments', versions: [{ name: 'v1' }] });
  const services = [{ name: 'orders', calls: ['payments'], expose: { prefix: '/api/orders' } }, { name: 'payments' }];
  const access = new SidecarAccessPolicies(chart, 'access', { services });
  new NetworkPolicies(chart, 'network', { services });
  new IstioIngress(chart, 'ingress', { services: [{ ...services[0], versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] }] });
  return { chart, orders, payments, traffic, access };
}

function byKindAndName(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the output`);
  return found;
}

describe('the constructs in a chart of your own', () => {
  const { chart, orders, traffic, access } = teamChart();
  orders.deployments.v2.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'canary'));
  traffic.virtualService.addJsonPatch(JsonPatch.add('/metadata/annotations', { owner: 'team-a' }));
  const objects: KubeObject[] = Testing.synth(chart);

  test('every object lands in the chart\'s namespace, labelled as part of it', () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const object of objects) {
      if (object.kind === 'Namespace') expect(object.metadata.name).toBe('team-a');
      else expect(`${object.kind} ${object.metadata.name}: ${object.metadata.namespace}`).toBe(`${object.kind} ${object.metadata.name}: team-a`);
      expect(object.metadata.labels['app.kubernetes.io/part-of']).toBe('team-a');
    }
    expect(byKindAndName(objects, 'Namespace', 'team-a').metadata.labels['mesh-platform.io/environment']).toBe('qa');
  });

  test('the pods meet the Pod Security "restricted" profile and the namespace enforces it', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['orders-v1', 'orders-v2', 'payments-v1']);
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
        });
      }
    }
    expect(byKindAndName(objects, 'Namespace', 'team-a').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('the product\'s validator finds no error: schemas, references (subsets, principals, selectors) and policy', () => {
    expect(hasErrorsOf(objects)).toEqual([]);
  });

  test('hand-written props get the description\'s defaults and reach the pods', () => {
    const container = byKindAndName(objects, 'Deployment', 'orders-v2').spec.template.spec.containers[0];
    const env = Object.fromEntries(container.env.map((e: KubeObject) => [e.name, e.value]));
    expect(env).toMatchObject({
      PORT: '8080', FEATURE: 'on', SERVICE_VERSION: 'v2', PAYMENTS_URL: 'http://payments.team-a.svc.cluster.local:8080', OTEL_SERVICE_NAME: 'orders',
    });
    expect(env.OTEL_RESOURCE_ATTRIBUTES).toContain('deployment.environment.name=qa');
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(byKindAndName(objects, 'HorizontalPodAutoscaler', 'orders-v2').spec).toMatchObject({ minReplicas: 1, maxReplicas: 3 });
  });

  test('handles patch what the constructs created, the cdk8s way', () => {
    expect(byKindAndName(objects, 'Deployment', 'orders-v2').spec.template.spec.priorityClassName).toBe('canary');
    expect(byKindAndName(objects, 'Deployment', 'orders-v1').spec.template.spec.priorityClassName).toBeUndefined();
    expect(byKindAndName(objects, 'VirtualService', 'orders').metadata.annotations).toEqual({ owner: 'team-a' });
    expect(orders.service?.name).toBe('orders');
    expect(orders.configMap?.name).toBe('orders-config');
    expect(orders.versions.map((version) => version.podDisruptionBudget.name)).toEqual(['orders-v1', 'orders-v2']);
    expect(Object.keys(access.allowPolicies).sort()).toEqual(['orders', 'payments']);
  });

  test('the allow graph is the declared calls: payments admits orders\' principal, orders admits the ingress gateway', () => {
    const principals = (name: string) => byKindAndName(objects, 'AuthorizationPolicy', `${name}-allow-callers`).spec.rules[0].from[0].source.principals;
    expect(principals('payments')).toEqual(['cluster.local/ns/team-a/sa/orders']);
    expect(principals('orders')).toEqual(['cluster.local/ns/istio-system/sa/istio-ingressgateway']);
  });
});

describe('the constructs refuse what can never work, naming the construct, the field and the fix', () => {
  const chart = () => new Chart(new App(), 'team-a', { namespace: 'team-a' });

  test('canary weights that do not add up to 100', () => {
    expect(() => new IstioServiceTraffic(chart(), 'orders-traffic', { name: 'orders', versions: [{ name: 'v1', weight: 80 }, { name: 'v2', weight: 30 }] }))
      .toThrow('IstioServiceTraffic team-a/orders-traffic: versions: weights must add up to 100 (got 80 + 30 = 110); give each version its share');
  });

  test('a pinned or mirrored version that is not declared', () => {
    expect(() => new GatewayApiServiceTraffic(chart(), 't', { name: 'orders', versions: [{ name: 'v1' }], header: { version: 'v3' } }))
      .toThrow('GatewayApiServiceTraffic team-a/t: header.version: version "v3" is not among the versions (v1); declare it or name one of them');
    expect(() => new IstioServiceTraffic(chart(), 't', { name: 'orders', versions: [{ name: 'v1' }], traffic: { mirror: { version: 'v2' } } }))
      .toThrow('traffic.mirror.version: version "v2" is not among the versions (v1)');
  });

  test('a call to a service that is not declared', () => {
    expect(() => new SidecarAccessPolicies(chart(), 'access', { services: [{ name: 'orders', calls: ['payment'] }] }))
      .toThrow('SidecarAccessPolicies team-a/access: services.orders.calls: "payment" is not among the services (orders); add it, or remove the call');
  });

  test('a field the description\'s schema rejects, and a version declared twice', () => {
    const props = { ...ordersProps, resources: { cpuLimit: 'lots' } };
    expect(() => new Microservice(chart(), 'orders', props)).toThrow(/^Microservice team-a\/orders: resources\.cpuLimit: must be a Kubernetes quantity/);
    const twice = { ...ordersProps, versions: [ordersProps.versions[0], ordersProps.versions[0]] };
    expect(() => new Microservice(chart(), 'orders', twice)).toThrow('versions: "v1" is declared twice; give each version its own name');
  });

  test('a version name that cannot label a pod, and a version without an image', () => {
    const upper = { ...ordersProps, versions: [{ name: 'V1', image: image('orders', '1.4.2') }] };
    expect(() => new Microservice(chart(), 'orders', upper)).toThrow(/^ServiceVersion team-a\/orders\/V1: version\.name: version name must be a lowercase DNS label/);
    const imageless = { ...ordersProps, versions: [{ name: 'v1', image: '' }] };
    expect(() => new Microservice(chart(), 'orders', imageless)).toThrow('ServiceVersion team-a/orders/v1: version.image: none given for version v1; name its image');
  });

  test('no namespace in the props or the chart', () => {
    const bare = new Chart(new App(), 'bare');
    expect(() => new Microservice(bare, 'orders', ordersProps)).toThrow('Microservice bare/orders: namespace: none set; pass `namespace` or give the chart a namespace');
  });
});
