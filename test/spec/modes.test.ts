/** The mesh modes at the spec boundary: defaults are today's behaviour; what a mode cannot express fails with field and fix. */
import { platform } from '../../src/config/platform';
import { PlatformConfigError, resolvePlatformSpec, type EnvironmentOverrides } from '../../src/spec';
import { TEST_IMAGES } from '../support/platform';

const resolve = (overrides: EnvironmentOverrides) => resolvePlatformSpec({ description: platform, environment: 'staging', overrides, images: TEST_IMAGES });

function messages(overrides: EnvironmentOverrides): string[] {
  try {
    resolve(overrides);
  } catch (error) {
    if (error instanceof PlatformConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

test('without a mesh field an environment keeps sidecars and Istio routing', () => {
  expect(resolve({}).mesh).toEqual({ dataPlane: 'sidecar', routing: 'istio' });
});

test('the two choices are independent: sidecar with the Gateway API and ambient with the Gateway API both resolve', () => {
  expect(resolve({ mesh: { routing: 'gateway-api' } }).mesh).toEqual({ dataPlane: 'sidecar', routing: 'gateway-api' });
  expect(resolve({ mesh: { dataPlane: 'ambient', routing: 'gateway-api' } }).mesh).toEqual({ dataPlane: 'ambient', routing: 'gateway-api' });
});

test('ambient with Istio routing or without the CNI fails, naming each field and its fix; with NetworkPolicies it resolves', () => {
  expect(messages({ mesh: { dataPlane: 'ambient' }, istio: { cni: false }, networkPolicies: true })).toEqual([
    "platform config (environment staging): mesh.routing: the ambient data plane needs routing 'gateway-api': Istio supports VirtualServices on waypoints only as Alpha, and not mixed with HTTPRoutes; fix: set mesh.routing to 'gateway-api', or mesh.dataPlane to 'sidecar'",
    expect.stringMatching(/^platform config \(environment staging\): istio\.cni: .*; fix: set istio\.cni to true, or mesh\.dataPlane to 'sidecar'$/),
  ]);
  // staging's fault injection needs Istio routing; without it, ambient with NetworkPolicies is a valid environment.
  const ambient = { mesh: { dataPlane: 'ambient', routing: 'gateway-api' }, networkPolicies: true, services: { 'payment-service': { traffic: { fault: undefined } } } } as const;
  expect(messages(ambient)).toEqual([]);
});

test('fault injection and per-route retries under the Gateway API fail; mirroring and canaries do not', () => {
  const found = messages({
    mesh: { routing: 'gateway-api' },
    services: {
      'user-service': { traffic: { retries: { attempts: 3 } } },
      'payment-service': { traffic: { fault: { delay: { percentage: 10, fixedDelay: '1s' } } } },
      'order-service': { canary: { weights: { v1: 100, v2: 0 } }, traffic: { mirror: { version: 'v2', percentage: 50 } } },
    },
  });
  expect(found).toEqual([
    expect.stringContaining("services.user-service.traffic.retries: per-route retries cannot be expressed"),
    expect.stringContaining("services.payment-service.traffic.fault: the Gateway API has no fault injection, and Istio does not support a VirtualService beside HTTPRoutes for the same service; fix: remove traffic.fault in this environment, or set mesh.routing to 'istio'"),
  ]);
});

test('an unknown mode is a schema error listing the allowed values', () => {
  expect(messages({ mesh: { dataPlane: 'sidecarless' as never } })).toEqual([
    'platform config (environment staging): mesh.dataPlane: expected one of "sidecar", "ambient", got the string "sidecarless"',
  ]);
});
