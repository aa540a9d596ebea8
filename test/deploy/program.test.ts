/**
 * The Pulumi program under Pulumi's unit-test mocks: what `pulumi up` would register, with which inputs and in which
 * order, compared against the chart's own synthesis (the code behind `cdk8s synth`) for the same environment:
 * each environment's deploy with the default stack config (other stack config: program-stack-config.test.ts).
 */
import { join } from 'node:path';
import type { KubernetesObject } from '../../src/deploy/kubernetes-object';
import { imageReferences, serviceBundle } from '../../src/images/index';
import { synthesizePlatform } from '../../src/platform';
import { MOCK_CANARY_PHASE, mockDigest, valueOf } from './mocks';
import {
  ALERT_WEBHOOK_URL, API_KEY, asJson, deploy, expectedObjects, find, isCommittedCrd, type KubeSpec, nameOf, objectRegistrations, REGISTRY, ROOT, type Run,
  SERVICES, typeToken,
} from './support/program-run';

describe.each(['dev', 'staging', 'prod'] as const)('environment %s', (environment) => {
  let run: Run;
  beforeAll(async () => {
    run = await deploy(environment);
  });

  test('builds one image per service folder from the repository root with images/Dockerfile, linux/amd64 and the base-image build args', () => {
    const images = run.registrations.filter((r) => r.type === 'docker:index/image:Image');
    expect(images.map((i) => i.name).sort()).toEqual(SERVICES);
    const tags = imageReferences(REGISTRY);
    for (const image of images) {
      const service = image.name;
      expect(image.inputs.imageName).toBe(tags[service]);
      expect(image.inputs.imageName).toMatch(new RegExp(`^${REGISTRY}/${service}:sha256-[0-9a-f]{16}$`));
      expect(image.inputs.build).toEqual({
        context: ROOT,
        dockerfile: join(ROOT, 'images/Dockerfile'),
        platform: 'linux/amd64',
        builderVersion: 'BuilderBuildKit',
        args: {
          SERVICE: service,
          BUNDLE_SHA256: serviceBundle(service).sha256,
          BUILD_IMAGE: 'node:20-bookworm-slim',
          RUNTIME_IMAGE: 'gcr.io/distroless/nodejs20-debian12:nonroot',
        },
      });
      expect(image.inputs.skipPush).toBe(false);
    }
  });

  test('registers every object the chart synthesizes exactly once, with the same content', () => {
    const expected = expectedObjects(environment).filter((o) => o.kind !== 'Secret');
    expect(expected.length).toBeGreaterThan(10);
    for (const object of expected) {
      const registration = find(run, typeToken(object), nameOf(object));
      expect(registration.inputs).toEqual(asJson(object));
    }
    const secretsCreated = objectRegistrations(run).filter((r) => r.type === 'kubernetes:core/v1:Secret');
    const crds = objectRegistrations(run).filter((r) => isCommittedCrd(r));
    // Nothing else: every applied object is a synthesized one, a Secret made from config or a committed CRD.
    expect(objectRegistrations(run)).toHaveLength(expected.length + secretsCreated.length + crds.length);
  });

  test('applies every object and release through the stack\'s provider, with server-side apply', () => {
    const provider = run.registrations.find((r) => r.type === 'pulumi:providers:kubernetes')!;
    expect(String(provider.inputs.enableServerSideApply)).toBe('true');
    const applied = run.registrations.filter((r) => r.custom && r.type.startsWith('kubernetes:'));
    expect(applied.length).toBeGreaterThan(10);
    for (const registration of applied) expect(registration.provider.startsWith(`${provider.urn}::`)).toBe(true);
  });

  test('runs no container image without a content-addressed tag and a digest', () => {
    type PodSpec = { containers?: { image: string }[]; initContainers?: { image: string }[] };
    const images = objectRegistrations(run).flatMap((r) => {
      const pod = (r.inputs.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
      return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].map((c) => c.image);
    });
    expect(images.length).toBeGreaterThanOrEqual(3);
    const { spec } = synthesizePlatform(environment, { images: imageReferences(REGISTRY) });
    // The platform's own images by tag and digest; the in-cluster database's as the description pins it (by digest).
    const described = spec.postgres?.location === 'in-cluster' ? [spec.postgres.image] : [];
    for (const image of images.filter((i) => !described.includes(i))) expect(image).toMatch(/^[^@]+\/[a-z-]+:sha256-[0-9a-f]{16}@sha256:[0-9a-f]{64}$/);
    for (const image of described) expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  test('applies the Namespace before everything in it', () => {
    const [namespace] = objectRegistrations(run).filter((r) => r.type === 'kubernetes:core/v1:Namespace');
    const inNamespace = objectRegistrations(run).filter((r) => (r.inputs.metadata as KubernetesObject['metadata']).namespace === namespace.name);
    expect(inNamespace.length).toBeGreaterThan(10);
    for (const registration of inNamespace) expect(registration.dependencies).toContain(namespace.urn);
  });

  test('creates the Secret from the Pulumi secret, marked secret, and prints its value nowhere else', async () => {
    const { spec } = synthesizePlatform(environment, { images: imageReferences(REGISTRY) });
    const secret = find(run, 'kubernetes:core/v1:Secret', `${spec.namespace}/payment-service-secrets`);
    expect(secret.inputs.stringData).toEqual({ 'provider-api-key': API_KEY });
    expect([...secret.secretInputs]).toContain('stringData');
    const elsewhere = run.registrations.filter((r) => r !== secret).map((r) => JSON.stringify(r.inputs));
    expect(elsewhere.join('\n')).not.toContain(API_KEY);
    expect(JSON.stringify(expectedObjects(environment))).not.toContain(API_KEY);
    // Workloads wait for the Secret their pods mount.
    for (const deployment of objectRegistrations(run).filter((r) => r.type === 'kubernetes:apps/v1:Deployment')) {
      expect(deployment.dependencies).toContain(secret.urn);
    }
  });

  test('creates the alert webhook Secret the AlertmanagerConfig references from the secret config, marked secret, and prints the URL nowhere else', () => {
    const config = objectRegistrations(run).find((r) => r.type === 'kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig')!;
    const { name, key } = (config.inputs.spec as KubeSpec).receivers[0].webhookConfigs[0].urlSecret;
    const secret = find(run, 'kubernetes:core/v1:Secret', `shop/${name}`);
    expect(secret.inputs.stringData).toEqual({ [key]: ALERT_WEBHOOK_URL });
    expect([...secret.secretInputs]).toContain('stringData');
    expect(run.registrations.filter((r) => r !== secret).map((r) => JSON.stringify(r.inputs)).join('\n')).not.toContain(ALERT_WEBHOOK_URL);
  });

  test('installs the Prometheus Operator\'s and KEDA\'s committed CRDs before every object of their kinds', () => {
    const crds = objectRegistrations(run).filter((r) => r.parent.includes('MonitoringCrds'));
    expect(crds.map((r) => r.name).sort()).toEqual([
      ...['alertmanagerconfigs', 'podmonitors', 'prometheusrules', 'servicemonitors'].map((plural) => `${plural}.monitoring.coreos.com`),
      'scaledobjects.keda.sh',
    ].sort());
    const monitoring = objectRegistrations(run).filter((r) => /^kubernetes:(monitoring\.coreos\.com|keda\.sh)\//.test(r.type));
    expect(monitoring.length).toBeGreaterThan(0);
    for (const object of monitoring) expect(object.dependencies).toEqual(expect.arrayContaining(crds.map((crd) => crd.urn)));
  });

  test('exports the namespace, the digest-pinned images and the canary weights of the environment', async () => {
    const { spec } = synthesizePlatform(environment, { images: imageReferences(REGISTRY) });
    expect(run.outputs.namespace).toBe(spec.namespace);
    expect(run.outputs.gateway.hosts).toEqual(spec.gateway.hosts);
    for (const service of SERVICES) {
      const tag = imageReferences(REGISTRY)[service];
      expect(await valueOf(run.outputs.images[service])).toBe(`${tag}@${mockDigest(tag)}`);
    }
    for (const service of spec.services) {
      if (service.delivery.mode === 'progressive') {
        // Flagger sets a progressive service's weights: its Canary's phase is exported instead.
        expect(run.outputs.canary[service.name]).toBeUndefined();
        expect(await valueOf(run.outputs.canaries[service.name])).toBe(MOCK_CANARY_PHASE);
      } else {
        expect(run.outputs.canary[service.name]).toEqual(Object.fromEntries(service.versions.map((v) => [v.name, v.weight])));
        expect(run.outputs.canaries[service.name]).toBeUndefined();
      }
    }
  });

  test('installs Flagger\'s committed CRDs, kept on destroy, before the Canaries and MetricTemplates, where a service is progressive', () => {
    const { spec } = synthesizePlatform(environment, { images: imageReferences(REGISTRY) });
    const crds = objectRegistrations(run).filter((r) => r.parent.includes('DeliveryCrds'));
    const flagger = objectRegistrations(run).filter((r) => r.type.startsWith('kubernetes:flagger.app/'));
    if (!spec.services.some((s) => s.delivery.mode === 'progressive')) {
      expect({ crds, flagger }).toEqual({ crds: [], flagger: [] });
      return;
    }
    expect(crds.map((r) => r.name).sort()).toEqual(['alertproviders.flagger.app', 'canaries.flagger.app', 'metrictemplates.flagger.app']);
    for (const crd of crds) expect(crd.retainOnDelete).toBe(true);
    expect(flagger.map((r) => r.type).sort()).toEqual(expect.arrayContaining(['kubernetes:flagger.app/v1beta1:Canary', 'kubernetes:flagger.app/v1beta1:MetricTemplate']));
    for (const object of flagger) expect(object.dependencies).toEqual(expect.arrayContaining(crds.map((crd) => crd.urn)));
  });

  test('leaves to Flagger what it writes (the target Deployment\'s replicas, KEDA\'s pause annotation on its ScaledObject) and nothing else', () => {
    const canaries = objectRegistrations(run).filter((r) => r.type === 'kubernetes:flagger.app/v1beta1:Canary');
    const expected = new Map<string, readonly string[]>(canaries.flatMap((canary): [string, readonly string[]][] => {
      const { targetRef, autoscalerRef } = canary.inputs.spec as KubeSpec;
      const namespace = (canary.inputs.metadata as KubernetesObject['metadata']).namespace;
      return [
        [`kubernetes:apps/v1:Deployment ${namespace}/${targetRef.name}`, ['spec.replicas']],
        ...(autoscalerRef?.kind === 'ScaledObject'
          ? [[`kubernetes:keda.sh/v1alpha1:ScaledObject ${namespace}/${autoscalerRef.name}`, ['metadata.annotations["autoscaling.keda.sh/paused-replicas"]']]] as [string, readonly string[]][]
          : []),
      ];
    }));
    const ignoring = objectRegistrations(run).filter((r) => r.ignoreChanges.length > 0);
    expect(new Map(ignoring.map((r) => [`${r.type} ${r.name}`, r.ignoreChanges]))).toEqual(expected);
  });
});
