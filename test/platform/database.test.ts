/**
 * Database invariants of every environment, derived from the description: each service that declares a database gets
 * exactly its URL file, the egress to its server and nothing more; the in-cluster server admits exactly those services
 * and meets the restricted profile; no password is synthesized.
 */
import { servicePodSelector } from '../../src/description/names/labels';
import { synthesizePlatform } from '../../src/platform';
import { ENVIRONMENTS } from '../../src/description';
import { TEST_IMAGES, ofKind, selects, synthesizeAll, type KubeObject } from '../support/platform';

const synthesized = synthesizeAll();

describe.each(ENVIRONMENTS)('%s', (environment) => {
  const { spec, objects } = synthesized[environment];
  const server = spec.postgres!;
  const clients = spec.services.filter((service) => service.database);
  const others = spec.services.filter((service) => !service.database);
  const deploymentsOf = (service: string) => ofKind(objects, 'Deployment').filter((d) => d.spec.template.metadata.labels['app.kubernetes.io/name'] === service);

  test('the description declares databases and the environment a server (else this file would prove nothing)', () => {
    expect(clients.length).toBeGreaterThan(0);
    expect(server).toBeDefined();
  });

  test('each service with a database gets exactly DATABASE_URL_FILE, one mount and one volume of its own Secret key; the others none', () => {
    for (const service of spec.services) {
      for (const deployment of deploymentsOf(service.name)) {
        const pod = deployment.spec.template.spec;
        const container = pod.containers[0];
        const env = container.env.filter((e: KubeObject) => e.name.startsWith('DATABASE_URL'));
        const volumes = pod.volumes.filter((v: KubeObject) => v.secret?.secretName?.endsWith('-database'));
        const mounts = container.volumeMounts.filter((m: KubeObject) => m.mountPath === '/var/run/secrets/database');
        if (!service.database) {
          expect([env, volumes, mounts]).toEqual([[], [], []]);
          continue;
        }
        expect(env).toEqual([{ name: 'DATABASE_URL_FILE', value: '/var/run/secrets/database/url' }]);
        expect(volumes).toEqual([{ name: 'database', secret: { secretName: `${service.name}-database`, defaultMode: 0o440, items: [{ key: 'url', path: 'url' }] } }]);
        expect(mounts).toEqual([{ name: 'database', mountPath: '/var/run/secrets/database', readOnly: true }]);
        // The validator (and a reader) learn that Pulumi creates it.
        expect(deployment.metadata.annotations['validation.mesh-platform.io/external-secrets'].split(',')).toContain(`${service.name}-database`);
      }
    }
  });

  test('no Secret, password or URL is synthesized', () => {
    expect(ofKind(objects, 'Secret')).toHaveLength(0);
    expect(JSON.stringify(objects)).not.toMatch(/postgres(ql)?:\/\//);
  });

  test('NetworkPolicies: each client may open connections to the server on its port and nowhere new; no other pod may', () => {
    if (!spec.networkPolicies) {
      expect(ofKind(objects, 'NetworkPolicy')).toHaveLength(0);
      return;
    }
    const policies = ofKind(objects, 'NetworkPolicy');
    const toServer = (rule: KubeObject) => rule.ports?.some((p: KubeObject) => p.port === server.port);
    const serverPeers = server.location === 'external'
      ? server.cidrs!.map((cidr) => ({ ipBlock: { cidr } }))
      : [{ podSelector: { matchLabels: { app: (server as { name: string }).name } } }];
    for (const service of clients) {
      const egress = policies.filter((p) => p.spec.policyTypes.includes('Egress') && p.spec.podSelector.matchLabels
        && deploymentsOf(service.name).every((d) => selects(p.spec.podSelector.matchLabels, d.spec.template.metadata.labels)));
      const databaseRules = egress.flatMap((p) => p.spec.egress).filter(toServer);
      expect(databaseRules).toEqual([{ to: serverPeers, ports: [{ protocol: 'TCP', port: server.port }] }]);
    }
    for (const service of others) {
      const egress = policies.filter((p) => selects(p.spec.podSelector.matchLabels ?? {}, { app: service.name }) && p.spec.egress);
      expect(egress.flatMap((p) => p.spec.egress).filter(toServer)).toEqual([]);
    }
  });
});

describe.each(['staging', 'prod'] as const)('%s: an external server', (environment) => {
  const { spec, objects } = synthesized[environment];

  test('one ServiceEntry names exactly the server\'s host, addresses and port, for this namespace only', () => {
    const server = spec.postgres!;
    if (server.location !== 'external') throw new Error(`${environment} should use an external server`);
    expect(ofKind(objects, 'ServiceEntry').map((entry) => entry.spec)).toEqual([{
      hosts: [server.host],
      addresses: server.cidrs,
      ports: [{ number: server.port, name: 'tcp-postgres', protocol: 'TCP' }],
      location: 'MESH_EXTERNAL',
      // The API server (Istio's CRD) accepts CIDR addresses only with NONE or STATIC resolution.
      resolution: 'NONE',
      exportTo: ['.'],
    }]);
    expect(ofKind(objects, 'StatefulSet')).toHaveLength(0);
  });
});

describe('dev: the in-cluster server', () => {
  const { spec, objects } = synthesized.dev;
  const server = spec.postgres!;
  const clients = spec.services.filter((service) => service.database);
  const [statefulSet] = ofKind(objects, 'StatefulSet');
  const pod = statefulSet.spec.template.spec;
  const [container] = pod.containers;

  test('is a one-pod StatefulSet of the described image, its data on a PersistentVolumeClaim, governed by a headless Service', () => {
    if (server.location !== 'in-cluster') throw new Error('dev should run the server in the cluster');
    expect(statefulSet.metadata.name).toBe(server.name);
    expect(statefulSet.spec.replicas).toBe(1);
    expect(container.image).toBe(server.image);
    expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(statefulSet.spec.volumeClaimTemplates).toEqual([expect.objectContaining({
      metadata: expect.objectContaining({ name: 'data' }),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: server.storage } } },
    })]);
    const service = ofKind(objects, 'Service').find((s) => s.metadata.name === statefulSet.spec.serviceName)!;
    expect(service.spec.clusterIP).toBe('None');
    expect(selects(service.spec.selector, statefulSet.spec.template.metadata.labels)).toBe(true);
    expect(ofKind(objects, 'ServiceEntry')).toHaveLength(0);
  });

  test('meets Pod Security "restricted" with a fixed uid, and writes only to its volume and emptyDirs', () => {
    if (server.location !== 'in-cluster') throw new Error('dev should run the server in the cluster');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: server.runAsUser, runAsGroup: server.runAsUser, fsGroup: server.runAsUser, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: server.runAsUser, runAsGroup: server.runAsUser, readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    const volumes = Object.fromEntries(pod.volumes.map((v: KubeObject) => [v.name, v]));
    const mountedAt = Object.fromEntries(container.volumeMounts.map((m: KubeObject) => [m.mountPath, m.name]));
    expect(volumes[mountedAt['/var/run/postgresql']].emptyDir).toBeDefined();
    expect(volumes[mountedAt['/tmp']].emptyDir).toBeDefined();
    expect(mountedAt['/var/lib/postgresql/data']).toBe('data');
    const env = Object.fromEntries(container.env.map((e: KubeObject) => [e.name, e.value]));
    expect(env.PGDATA.startsWith('/var/lib/postgresql/data/')).toBe(true);
    expect(env.POSTGRES_PASSWORD_FILE).toMatch(/^\/var\/run\/secrets\/postgres\//);
    expect(volumes[mountedAt['/var/run/secrets/postgres']].secret).toEqual({ secretName: server.name, defaultMode: 0o440 });
    expect(container.readinessProbe.exec.command[0]).toBe('pg_isready');
  });

  test('the mesh admits exactly the services that declare a database, on the server port', () => {
    const policies = ofKind(objects, 'AuthorizationPolicy').filter((p) => p.spec.selector?.matchLabels?.app === statefulSet.metadata.name);
    expect(policies.map((p) => p.spec)).toEqual([{
      selector: { matchLabels: { app: statefulSet.metadata.name } },
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: clients.map((c) => `cluster.local/ns/${spec.namespace}/sa/${c.name}`) } }],
        to: [{ operation: { ports: ['5432'] } }],
      }],
    }]);
  });

  test('the init script creates exactly one role and database per declared database', () => {
    const init = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === `${statefulSet.metadata.name}-init`)!;
    const script: string = Object.values(init.data)[0] as string;
    const created = [...script.matchAll(/CREATE DATABASE (\w+) OWNER (\w+)/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(created).toEqual(clients.map((c) => `${c.database!.name}:${c.database!.name}`));
    expect(script).not.toMatch(/PASSWORD '/);
  });

  test.each([
    ['sidecar', 'istio', 5432],
    // In ambient the server's pod is in the mesh like the services: its clients' connections arrive as HBONE.
    ['ambient', 'gateway-api', 15008],
  ] as const)('with NetworkPolicies (%s) the server accepts connections from exactly the services with a database, on port %d', (dataPlane, routing, port) => {
    const overrides = { networkPolicies: true, mesh: { dataPlane, routing } } as const;
    const { objects: guarded } = synthesizePlatform('dev', { images: TEST_IMAGES, overrides });
    const policies = ofKind(guarded as KubeObject[], 'NetworkPolicy');
    const ingress = policies.filter((p) => p.spec.podSelector.matchLabels?.app === statefulSet.metadata.name);
    expect(ingress.map((p) => p.spec)).toEqual([{
      podSelector: { matchLabels: { app: statefulSet.metadata.name } },
      policyTypes: ['Ingress'],
      ingress: [{ from: clients.map((c) => ({ podSelector: { matchLabels: servicePodSelector(c) } })), ports: [{ protocol: 'TCP', port }] }],
    }]);
    for (const client of clients) {
      const egress = policies.find((p) => p.metadata.name === `allow-${client.name}-database-egress`)!;
      expect(egress.spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { app: statefulSet.metadata.name } } }], ports: [{ protocol: 'TCP', port }] }]);
    }
  });
});
