/** Cross-object invariants of every environment: what would break a real deployment if it drifted. */
import { ENVIRONMENTS, serviceUrlEnv } from '../../src/description';
import { UNPROCESSED_RETRY_ON } from '../../src/mesh/http-routes';
import { synthesizePlatform } from '../../src/platform';
import { TEST_IMAGES, ofKind, routeSplit, selects, synthesizeAll, type KubeObject } from '../support/platform';
import { workloadName } from '../../src/description/names/workloads';

const synthesized = synthesizeAll();

describe.each(ENVIRONMENTS)('%s', (environment) => {
  const { spec, objects } = synthesized[environment];
  const deployments = ofKind(objects, 'Deployment');
  // Everything that runs pods: the services' Deployments and, where the environment runs one, the database's StatefulSet.
  const workloads = [...deployments, ...ofKind(objects, 'StatefulSet')];
  const podLabels = (d: KubeObject) => d.spec.template.metadata.labels as Record<string, string>;
  const hostOf = (service: string) => `${service}.${spec.namespace}.svc.cluster.local`;

  test('the Namespace comes first and every other object is namespaced', () => {
    expect(objects[0].kind).toBe('Namespace');
    for (const object of objects.slice(1)) expect(object.metadata.namespace).toBeTruthy();
  });

  test('no two objects share kind, namespace and name', () => {
    const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('every VirtualService destination subset is defined by the DestinationRule of its host and selects deployed pods', () => {
    const rules = ofKind(objects, 'DestinationRule');
    const services = ofKind(objects, 'Service');
    let checked = 0;
    for (const vs of ofKind(objects, 'VirtualService')) {
      for (const route of vs.spec.http) {
        for (const { destination } of route.route) {
          const rule = rules.find((r) => r.spec.host === destination.host);
          expect(rule).toBeDefined();
          const subset = rule!.spec.subsets.find((s: KubeObject) => s.name === destination.subset);
          expect(subset).toBeDefined();
          const service = services.find((s) => hostOf(s.metadata.name) === destination.host)!;
          const selector = { ...service.spec.selector, ...subset.labels };
          expect(deployments.some((d) => selects(selector, podLabels(d)))).toBe(true);
          checked++;
        }
      }
    }
    // Under the Gateway API there are no VirtualServices (their invariants are in mode-invariants.test.ts).
    if (spec.mesh.routing === 'istio') expect(checked).toBeGreaterThan(0);
    else expect(checked).toBe(0);
  });

  test('route weights add up to 100', () => {
    for (const vs of ofKind(objects, 'VirtualService')) {
      for (const route of vs.spec.http) {
        expect(route.route.reduce((sum: number, r: KubeObject) => sum + r.weight, 0)).toBe(100);
      }
    }
  });

  test('every Service selects pods of a workload and targets a port their container declares', () => {
    for (const service of ofKind(objects, 'Service')) {
      const selected = workloads.filter((d) => selects(service.spec.selector, podLabels(d)));
      expect(selected.length).toBeGreaterThan(0);
      for (const deployment of selected) {
        const declared = deployment.spec.template.spec.containers.flatMap((c: KubeObject) => c.ports.map((p: KubeObject) => p.name));
        for (const port of service.spec.ports) expect(declared).toContain(port.targetPort);
      }
    }
  });

  test('each Deployment has one autoscaler (an HPA, or a KEDA ScaledObject when its service scales on requests per second) and leaves replicas to it; PDBs select pods and allow a disruption', () => {
    const autoscalers = [...ofKind(objects, 'HorizontalPodAutoscaler'), ...ofKind(objects, 'ScaledObject')];
    expect(autoscalers).toHaveLength(deployments.length);
    for (const autoscaler of autoscalers) {
      const target = deployments.find((d) => d.metadata.name === autoscaler.spec.scaleTargetRef.name);
      expect(target).toBeDefined();
      expect(target!.spec.replicas).toBeUndefined();
      const service = spec.services.find((s) => s.name === target!.metadata.labels['app.kubernetes.io/name'])!;
      expect(autoscaler.kind).toBe(service.autoscaling.requestsPerSecond === undefined ? 'HorizontalPodAutoscaler' : 'ScaledObject');
      const [min, max] = autoscaler.kind === 'ScaledObject'
        ? [autoscaler.spec.minReplicaCount, autoscaler.spec.maxReplicaCount]
        : [autoscaler.spec.minReplicas, autoscaler.spec.maxReplicas];
      expect([min, max]).toEqual([service.autoscaling.minReplicas, service.autoscaling.maxReplicas]);
    }
    for (const pdb of ofKind(objects, 'PodDisruptionBudget')) {
      expect(deployments.filter((d) => selects(pdb.spec.selector.matchLabels, podLabels(d)))).toHaveLength(1);
      expect(pdb.spec.maxUnavailable).toBeGreaterThanOrEqual(1);
      expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    }
  });

  test('the namespace denies by default, with STRICT mTLS (the allow graph is checked per mode in mode-invariants.test.ts)', () => {
    const denyAll = ofKind(objects, 'AuthorizationPolicy').find((p) => p.metadata.name === 'default-deny');
    expect(denyAll?.spec).toEqual({});
    expect(ofKind(objects, 'PeerAuthentication')[0].spec.mtls.mode).toBe('STRICT');
  });

  test('every pod meets the Pod Security Standards "restricted" profile', () => {
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.hostNetwork ?? false).toBe(false);
      for (const volume of pod.volumes) expect(volume.hostPath).toBeUndefined();
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
        });
        expect(container.securityContext.capabilities.add).toBeUndefined();
        expect(container.ports.every((p: KubeObject) => p.hostPort === undefined)).toBe(true);
      }
    }
  });

  test('every container is probed, resourced, pinned to an immutable image and drains within its grace period', () => {
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec;
      for (const container of pod.containers) {
        expect(container.image).toMatch(/:(?!latest$)[\w.-]+$|@sha256:/);
        expect(container.startupProbe && container.livenessProbe && container.readinessProbe).toBeTruthy();
        expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
        const env = Object.fromEntries(container.env.map((e: KubeObject) => [e.name, e.value]));
        expect((Number(env.SHUTDOWN_DELAY_MS) + Number(env.SHUTDOWN_TIMEOUT_MS)) / 1000).toBeLessThan(pod.terminationGracePeriodSeconds);
        expect(env.SERVICE_VERSION).toBe(podLabels(deployment).version);
      }
    }
  });

  test('requests that are not idempotent are only retried when they never reached the service', () => {
    for (const vs of ofKind(objects, 'VirtualService')) {
      for (const route of vs.spec.http) {
        const idempotentOnly = route.match?.every((m: KubeObject) => m.method?.regex === '^(GET|HEAD|OPTIONS|PUT|DELETE)$');
        if (!idempotentOnly) expect(route.retries.retryOn).toBe(UNPROCESSED_RETRY_ON);
      }
    }
  });

  test('secret values never reach the output; pods mount each declared Secret by reference, optional outside production', () => {
    expect(ofKind(objects, 'Secret')).toHaveLength(0);
    for (const service of spec.services.filter((s) => s.secret)) {
      for (const version of service.versions) {
        const pod = deployments.find((d) => d.metadata.name === `${service.name}-${version.name}`)!.spec.template.spec;
        expect(pod.volumes).toContainEqual({
          name: 'secrets', secret: { secretName: service.secret!.name, defaultMode: 0o440, optional: !spec.production },
        });
        for (const { key, env } of service.secret!.keys) {
          expect(pod.containers[0].env).toContainEqual({ name: `${env}_FILE`, value: `/var/run/secrets/app/${key}` });
        }
      }
    }
  });

  test('the gateway routes exactly the exposed prefixes (with their rewrites) to their services, in either routing API', () => {
    const exposed = new Map<string, string>();
    const ingress = ofKind(objects, 'VirtualService').find((vs) => vs.spec.gateways);
    for (const route of ingress?.spec.http ?? []) exposed.set(route.match[0].uri.prefix, `${route.rewrite?.uri ?? route.match[0].uri.prefix} ${route.route[0].destination.host}`);
    for (const route of ofKind(objects, 'HTTPRoute').filter((r) => r.spec.parentRefs.every((p: KubeObject) => p.kind === undefined))) {
      for (const rule of route.spec.rules.filter((r: KubeObject) => r.matches)) {
        const prefix = rule.matches[0].path.value;
        const rewrite = rule.filters?.find((f: KubeObject) => f.type === 'URLRewrite')?.urlRewrite.path.replacePrefixMatch ?? prefix;
        const backend = deployments.find((d) => d.metadata.name === rule.backendRefs[0].name)!;
        exposed.set(prefix, `${rewrite} ${hostOf(podLabels(backend).app)}`);
      }
    }
    const expected = spec.services.filter((s) => s.expose).map((s) => [s.expose!.prefix, `${s.expose!.rewrite ?? s.expose!.prefix} ${hostOf(s.name)}`]);
    expect(Object.fromEntries(exposed)).toEqual(Object.fromEntries(expected));
  });

  test('every service finds its callees through derived URLs', () => {
    for (const service of spec.services.filter((s) => s.calls.length > 0)) {
      for (const version of service.versions) {
        const env = deployments.find((d) => d.metadata.name === workloadName(service, version.name))!.spec.template.spec.containers[0].env;
        for (const callee of service.calls) {
          const port = spec.services.find((s) => s.name === callee)!.ports[0].port;
          expect(env).toContainEqual({ name: serviceUrlEnv(callee), value: `http://${hostOf(callee)}:${port}` });
        }
      }
    }
  });
});

describe('environment differences', () => {
  const split = (env: keyof typeof synthesized, route: 'weighted' | 'pinned') => routeSplit(synthesized[env].objects, 'order-service', route);

  test('static environments have their own canary weights and x-canary pins v2; dev hands order-service to Flagger', () => {
    expect(split('staging', 'weighted')).toEqual(['v1=100', 'v2=0']);
    expect(split('prod', 'weighted')).toEqual(['v1=90', 'v2=10']);
    for (const env of ['staging', 'prod'] as const) expect(split(env, 'pinned')).toEqual(['v2=100']);
    expect([split('dev', 'weighted'), split('dev', 'pinned')]).toEqual([undefined, undefined]);
    expect(ofKind(synthesized.dev.objects, 'Canary').map((c) => c.metadata.name)).toEqual(['order-service']);
  });

  test('fault injection exists in staging only (Istio routing, not production); staging mirrors to v2', () => {
    const faults = (env: keyof typeof synthesized) => ofKind(synthesized[env].objects, 'VirtualService').flatMap((v) => v.spec.http).filter((r) => r.fault);
    expect(faults('dev')).toHaveLength(0);
    expect(faults('staging').length).toBeGreaterThan(0);
    expect(faults('prod')).toHaveLength(0);
    const staging = ofKind(synthesized.staging.objects, 'VirtualService').find((v) => v.metadata.name === 'order-service')!;
    expect(staging.spec.http[0].mirror.subset).toBe('v2');
  });

  test('prod runs at least two replicas per version, behind TLS, with JWT required on /api/orders', () => {
    const { objects } = synthesized.prod;
    for (const hpa of ofKind(objects, 'HorizontalPodAutoscaler')) expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const gateway = ofKind(objects, 'Gateway')[0];
    expect(gateway.spec.servers.map((s: KubeObject) => s.port.protocol)).toEqual(['HTTP', 'HTTPS']);
    const requireJwt = ofKind(objects, 'AuthorizationPolicy').find((p) => p.spec.action === 'DENY')!;
    expect(requireJwt.metadata.namespace).toBe('istio-system');
    expect(requireJwt.spec.rules[0].to[0].operation.paths).toEqual(['/api/orders', '/api/orders/*']);
    expect(ofKind(synthesized.dev.objects, 'RequestAuthentication')).toHaveLength(0);
  });

  test('where NetworkPolicies deny by default, Prometheus may still scrape every pod, on the merged-metrics port only', () => {
    expect(ofKind(synthesized.dev.objects, 'NetworkPolicy')).toHaveLength(0);
    for (const env of ['staging', 'prod'] as const) {
      const scraping = ofKind(synthesized[env].objects, 'NetworkPolicy').find((p) => p.metadata.name === 'allow-metrics-scraping')!;
      expect(scraping.spec.podSelector).toEqual({});
      expect(scraping.spec.ingress).toEqual([{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ protocol: 'TCP', port: 15020 }],
      }]);
    }
  });

  test('the namespace enforces the restricted profile when Istio runs with its CNI plugin', () => {
    const labels = synthesized.prod.objects[0].metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(labels['istio-injection']).toBe('enabled');
  });
});

test('extra overrides (as the Pulumi program passes them) layer over the environment, and supplied secret values become a Secret', () => {
  const { objects } = synthesizePlatform('dev', {
    images: TEST_IMAGES,
    // Back to static delivery in dev, with two versions: the extra layer wins over dev's progressive delivery.
    overrides: { services: {
      'order-service': { delivery: null, versions: [{ name: 'v1' }, { name: 'v2' }], canary: { weights: { v1: 0, v2: 100 }, header: { version: 'v2' } } },
      'payment-service': { secretValues: { 'provider-api-key': 'local-only' } },
    } },
  });
  const secret = ofKind(objects as KubeObject[], 'Secret')[0];
  expect(secret.metadata.name).toBe('payment-service-secrets');
  expect(secret.stringData).toEqual({ 'provider-api-key': 'local-only' });
  expect(routeSplit(objects as KubeObject[], 'order-service', 'weighted')).toEqual(['v1=0', 'v2=100']);
  expect(routeSplit(objects as KubeObject[], 'order-service', 'pinned')).toEqual(['v2=100']);
});
