/**
 * Multi-version checking: every Kubernetes and Istio version checked must serve an object's apiVersion/kind and accept
 * its fields; removed APIs name the release that removed them and the replacement.
 */
import { ISTIO, ISTIO_SCHEMA_VERSIONS, ISTIO_UPGRADE_FROM, KUBERNETES_API } from '../../src/versions';
import {
  DEFAULT_ISTIO_VERSIONS,
  DEFAULT_KUBERNETES_VERSIONS,
  type Finding,
  formatFinding,
  type KubeObject,
  knownVersions,
  resolveTargets,
  UnknownVersionError,
  validateObjects,
  type ValidateOptions,
} from '../../src/validation';

const schemaFindings = (objects: KubeObject[], options: ValidateOptions = {}): string[] =>
  validateObjects(objects, options).filter((finding) => finding.rule.startsWith('schema-')).map(formatFinding);

const flowSchema = (apiVersion: string): KubeObject => ({
  apiVersion,
  kind: 'FlowSchema',
  metadata: { name: 'batch-jobs' },
  spec: { priorityLevelConfiguration: { name: 'workload-low' }, matchingPrecedence: 1000 },
});

/** A DestinationRule with a field only Istio 1.31 knows (HTTP/2 keepalive pings on upstream connections). */
const keepAliveRule: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: 'bookinfo' },
  spec: {
    host: 'reviews',
    trafficPolicy: { connectionPool: { http: { http2KeepAlive: { interval: '30s', timeout: '10s' } } } },
  },
};

describe('default versions', () => {
  it('are Kubernetes floor and current, and the supported Istio releases: the installed one and the previous minor', () => {
    expect(DEFAULT_KUBERNETES_VERSIONS).toEqual([KUBERNETES_API.floor, KUBERNETES_API.current]);
    expect(DEFAULT_ISTIO_VERSIONS).toEqual(['1.30.8', '1.31.4']);
    expect(DEFAULT_ISTIO_VERSIONS).toEqual([ISTIO_UPGRADE_FROM.version, ISTIO.version]);
    expect(ISTIO_SCHEMA_VERSIONS).toEqual(expect.arrayContaining([...DEFAULT_ISTIO_VERSIONS]));
    expect(knownVersions()).toEqual({
      kubernetes: ['1.27', '1.36'], istio: ['1.22.8', '1.30.8', '1.31.4'], 'gateway-api': ['1.6.0'], 'prometheus-operator': ['0.85.0'], keda: ['2.20.2'], flagger: ['1.44.0'],
    });
  });
});

describe('resolveTargets', () => {
  it('takes API levels, patch releases of a known level and YAML numbers that print as a known version', () => {
    expect(resolveTargets({ kubernetesVersions: ['1.36.3', 'v1.27', '1.36'] }).kubernetes).toEqual(['1.27', '1.36']);
    expect(resolveTargets({ kubernetesVersions: [1.27 as unknown as string] }).kubernetes).toEqual(['1.27']);
    expect(resolveTargets({ istioVersions: ['1.31.4'] })).toEqual({
      kubernetes: ['1.27', '1.36'], istio: ['1.31.4'], 'gateway-api': ['1.6.0'], 'prometheus-operator': ['0.85.0'], keda: ['2.20.2'], flagger: ['1.44.0'],
    });
  });

  it.each([
    [{ kubernetesVersions: ['1.30'] }, 'unknown Kubernetes version "1.30" (known: 1.27, 1.36)'],
    [{ istioVersions: ['1.31'] }, 'unknown Istio version "1.31" (known: 1.22.8, 1.30.8, 1.31.4)'],
    [{ kubernetesVersions: [1.3 as unknown as string] }, 'unknown Kubernetes version 1.3 (write versions as strings: YAML reads 1.30 as the number 1.3) (known: 1.27, 1.36)'],
    [{ kubernetesVersions: [] }, 'no Kubernetes version given (known: 1.27, 1.36)'],
  ])('rejects %j, naming the known versions', (options, message) => {
    expect(() => resolveTargets(options)).toThrow(UnknownVersionError);
    expect(() => resolveTargets(options)).toThrow(message);
    expect(() => validateObjects([], options)).toThrow(message);
  });
});

describe('Istio 1.31.4 CRDs', () => {
  it('accept a field only 1.31 knows', () => {
    expect(schemaFindings([keepAliveRule], { istioVersions: ['1.31.4'] })).toEqual([]);
  });

  it('flag that field for each older release checked, naming them', () => {
    expect(schemaFindings([keepAliveRule], { istioVersions: ['1.22.8', '1.30.8', '1.31.4'] })).toEqual([
      'DestinationRule bookinfo/reviews: spec.trafficPolicy.connectionPool.http.http2KeepAlive: unknown field "http2KeepAlive" (Istio 1.22.8, Istio 1.30.8 schema)',
    ]);
    expect(schemaFindings([keepAliveRule])).toEqual([
      'DestinationRule bookinfo/reviews: spec.trafficPolicy.connectionPool.http.http2KeepAlive: unknown field "http2KeepAlive" (Istio 1.30.8 schema)',
    ]);
  });

  it('know an enum value 1.30 does not (EnvoyFilter MERGE_AND_REPLACE_LIST)', () => {
    const filter: KubeObject = {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'EnvoyFilter',
      metadata: { name: 'lists', namespace: 'bookinfo' },
      spec: { configPatches: [{ applyTo: 'CLUSTER', patch: { operation: 'MERGE_AND_REPLACE_LIST', value: {} } }] },
    };
    expect(schemaFindings([filter], { istioVersions: ['1.31.4'] })).toEqual([]);
    expect(schemaFindings([filter], { istioVersions: ['1.30.8', '1.31.4'] }).join('\n'))
      .toContain('spec.configPatches[0].patch.operation: must be one of');
  });

  it('require every Istio release checked to serve the kind', () => {
    const extension: KubeObject = { apiVersion: 'extensions.istio.io/v1alpha1', kind: 'TrafficExtension', metadata: { name: 'x', namespace: 'bookinfo' }, spec: { lua: { inlineCode: 'function envoy_on_request(h) end' } } };
    expect(schemaFindings([extension], { istioVersions: ['1.22.8', '1.30.8', '1.31.4'] })).toEqual([
      'TrafficExtension bookinfo/x: apiVersion: extensions.istio.io/v1alpha1 TrafficExtension: not served by Istio 1.22.8 (served by 1.30.8, 1.31.4)',
    ]);
    // Served by both releases checked by default.
    expect(schemaFindings([extension])).toEqual([]);
  });
});

describe('Kubernetes versions', () => {
  it('report an API removed between the floor and the current release with the release and the replacement', () => {
    const [finding] = validateObjects([flowSchema('flowcontrol.apiserver.k8s.io/v1beta2')]);
    expect(finding).toMatchObject<Partial<Finding>>({ rule: 'schema-unknown-kind', severity: 'error', path: 'apiVersion' });
    expect(finding.message).toBe(
      'flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema: removed in Kubernetes 1.29; use flowcontrol.apiserver.k8s.io/v1 (served from 1.29)');
    expect(finding.hint).toContain('migrate the object to flowcontrol.apiserver.k8s.io/v1');
  });

  it('accept an API that only the older release checked serves, and reject it when the newer one is checked', () => {
    expect(schemaFindings([flowSchema('flowcontrol.apiserver.k8s.io/v1beta3')], { kubernetesVersions: ['1.27'] })).toEqual([]);
    expect(schemaFindings([flowSchema('flowcontrol.apiserver.k8s.io/v1beta3')], { kubernetesVersions: ['1.36'] })).toEqual([
      'FlowSchema batch-jobs: apiVersion: flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema: removed in Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1 (served from 1.29)',
    ]);
  });

  it('accept an API that only the newer release serves when only that one is checked', () => {
    const policy: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'replicas' },
      spec: { matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] },
        validations: [{ expression: 'object.spec.replicas <= 5' }] },
    };
    expect(schemaFindings([policy], { kubernetesVersions: ['1.36'] })).toEqual([]);
    expect(schemaFindings([policy])).toEqual([
      'ValidatingAdmissionPolicy replicas: apiVersion: admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy: not served by Kubernetes 1.27 (served from 1.30); Kubernetes 1.27 serves ValidatingAdmissionPolicy as admissionregistration.k8s.io/v1alpha1',
    ]);
  });

  it('say so when no other version of a removed kind exists', () => {
    const cidr: KubeObject = { apiVersion: 'networking.k8s.io/v1alpha1', kind: 'ClusterCIDR', metadata: { name: 'pods' }, spec: { perNodeHostBits: 8, ipv4: '10.0.0.0/16' } };
    expect(schemaFindings([cidr])).toEqual([
      'ClusterCIDR pods: apiVersion: networking.k8s.io/v1alpha1 ClusterCIDR: removed in Kubernetes 1.29; Kubernetes 1.36 serves no other version of ClusterCIDR',
    ]);
  });

  it('name the release for an API served only between the two (removed before the current one, added after the floor)', () => {
    const claim: KubeObject = { apiVersion: 'resource.k8s.io/v1alpha3', kind: 'ResourceClaim', metadata: { name: 'gpu', namespace: 'bookinfo' }, spec: {} };
    expect(schemaFindings([claim])).toEqual([
      'ResourceClaim bookinfo/gpu: apiVersion: resource.k8s.io/v1alpha3 ResourceClaim: not served by Kubernetes 1.27 (served from 1.31); Kubernetes 1.27 serves ResourceClaim as resource.k8s.io/v1alpha2',
      'ResourceClaim bookinfo/gpu: apiVersion: resource.k8s.io/v1alpha3 ResourceClaim: removed in Kubernetes 1.34; use resource.k8s.io/v1 (served from 1.34)',
    ]);
  });

  it('flag a field only the newer release knows when the older one is checked too', () => {
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'reviews', namespace: 'bookinfo' },
      spec: { selector: { app: 'reviews' }, ports: [{ port: 9080 }], trafficDistribution: 'PreferClose' },
    };
    expect(schemaFindings([service], { kubernetesVersions: ['1.36'] })).toEqual([]);
    expect(schemaFindings([service])).toEqual([
      'Service bookinfo/reviews: spec.trafficDistribution: unknown field "trafficDistribution" (Kubernetes 1.27 schema)',
    ]);
  });

  it('still call a kind no release knows unknown, naming the versions checked', () => {
    const ingress: KubeObject = { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'old', namespace: 'bookinfo' }, spec: {} };
    expect(schemaFindings([ingress], { kubernetesVersions: ['1.36'], istioVersions: ['1.31.4'] })).toEqual([
      'Ingress bookinfo/old: kind: extensions/v1beta1 Ingress is not a kind of Kubernetes 1.36 or Istio 1.31.4',
    ]);
  });
});
