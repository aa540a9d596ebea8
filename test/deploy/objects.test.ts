import * as pulumi from '@pulumi/pulumi';
import { pinnedReference } from '../../src/deploy/image-reference';
import { objectResource } from '../../src/deploy/kubernetes-object';
import { pinImages } from '../../src/deploy/pin-images';
import { dockerfileArgDefaults } from '../../src/deploy/image-builds';
import { installMocks } from './mocks';

const deployment = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'order-service-v1', namespace: 'shop' },
  spec: { template: { spec: { initContainers: [{ name: 'init', image }], containers: [{ name: 'app', image }] } } },
});

describe('pinImages', () => {
  test('replaces the built tag reference everywhere in pod templates and keeps the rest', async () => {
    const [pinned] = pinImages([deployment('r.io/shop/order-service:sha256-0123456789abcdef')], {
      'r.io/shop/order-service:sha256-0123456789abcdef': 'r.io/shop/order-service:sha256-0123456789abcdef@sha256:' + 'a'.repeat(64),
    });
    const containers = (pinned.spec as ReturnType<typeof deployment>['spec']).template.spec;
    expect(containers.containers[0].image).toMatch(/@sha256:a{64}$/);
    expect(containers.initContainers[0].image).toMatch(/@sha256:a{64}$/);
    expect(pinned.metadata).toEqual({ name: 'order-service-v1', namespace: 'shop' });
  });

  test('refuses an image it does not build unless it is pinned to a digest', () => {
    expect(() => pinImages([deployment('busybox:latest')], {})).toThrow(
      /Deployment shop\/order-service-v1 container init: image "busybox:latest"/,
    );
    expect(() => pinImages([deployment(`busybox@sha256:${'b'.repeat(64)}`)], {})).not.toThrow();
  });
});

describe('pinnedReference', () => {
  test('keeps the tag and adds the pushed digest', () => {
    expect(pinnedReference('r.io/shop/a:sha256-1', `r.io/shop/a@sha256:${'c'.repeat(64)}`)).toBe(`r.io/shop/a:sha256-1@sha256:${'c'.repeat(64)}`);
  });

  test('fails when the push returned no digest or the reference has no tag', () => {
    expect(() => pinnedReference('r.io/shop/a:sha256-1', 'sha256:local-image-id')).toThrow(/push returned no registry digest/);
    expect(() => pinnedReference('r.io/shop/a', `r.io/shop/a@sha256:${'c'.repeat(64)}`)).toThrow(/expected a content-addressed tag/);
    expect(() => pinnedReference('r.io/shop/a:latest', `r.io/shop/a@sha256:${'c'.repeat(64)}`)).toThrow(/expected a content-addressed tag/);
  });
});

test('an unknown built-in kind is an error naming the object, not a silent custom resource', () => {
  installMocks();
  const object = { apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'x', namespace: 'shop' } };
  expect(() => objectResource(object, {})).toThrow(/Deploymnt shop\/x: @pulumi\/kubernetes has no class for apps\/v1 Deploymnt/);
  const custom = objectResource({ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'x', namespace: 'shop' } }, {});
  expect(pulumi.CustomResource.isInstance(custom)).toBe(true);
});

test('Dockerfile ARG defaults are read from the Dockerfile, not repeated', () => {
  expect(dockerfileArgDefaults('ARG A=x:1\nARG B\nARG C=""\nFROM ${A}\n')).toEqual({ A: 'x:1', C: '' });
});

test('Kubernetes\' own groups get typed classes, and a CRD group under .k8s.io (the Gateway API\'s) a custom resource, as the validator classifies them', () => {
  installMocks();
  const typed = objectResource({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'shop' } }, {});
  expect(typed.constructor.name).toBe('NetworkPolicy');
  const route = objectResource({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'x', namespace: 'shop' } }, {});
  expect(route.constructor.name).toBe('CustomResource');
});
