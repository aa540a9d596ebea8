/**
 * The ingress's deny-without-token policy, evaluated by Istio's rule semantics (test/support/authorization-policy.ts)
 * in every mode that requires a JWT: no destination port lets a token-less request to a guarded prefix through, since a
 * gateway's Envoy binds whatever targetPort its installation chose (80/443 in the gateway chart, 8080/8443 in
 * istioctl's profiles), and the rule still names its ports so that istioctl analyze has nothing to warn about (IST0133).
 */
import { denies } from '../support/authorization-policy';
import { ofKind, synthesizeVariants, type KubeObject } from '../support/platform';

const EVERY_PORT = Array.from({ length: 65535 }, (_, index) => index + 1);
const guardedVariants = Object.entries(synthesizeVariants()).flatMap(([name, { spec, objects }]) => {
  const policy = ofKind(objects, 'AuthorizationPolicy').find((p) => p.metadata.name === `${spec.name}-require-jwt`);
  if (!policy) return [];
  const exposed = spec.services.filter((service) => service.expose);
  const prefixes = (requireJwt: boolean) => exposed.filter((service) => service.expose!.requireJwt === requireJwt).map((service) => service.expose!.prefix);
  return [{ name, policy, guarded: prefixes(true), open: prefixes(false) }];
});

test('the modes that require a JWT are covered', () => {
  expect(guardedVariants.map((variant) => variant.name)).toEqual(expect.arrayContaining(['staging', 'prod', 'prod (ambient, gateway-api)']));
});

describe.each(guardedVariants)('$name: $policy.metadata.namespace/$policy.metadata.name', ({ policy, guarded, open }) => {
  const requests = (prefixes: readonly string[], requestPrincipal?: string) =>
    EVERY_PORT.flatMap((port) => prefixes.flatMap((prefix) => [prefix, `${prefix}/42`].map((path) => ({ port, path, requestPrincipal }))));

  test('on every port, a guarded prefix without a token is denied', () => {
    expect(guarded.length).toBeGreaterThan(0);
    expect(requests(guarded).filter((request) => !denies(policy, request))).toEqual([]);
  });

  test('on every port, a guarded prefix with a validated token is not denied by it', () => {
    expect(requests(guarded, 'https://issuer.example/user-1').filter((request) => denies(policy, request))).toEqual([]);
  });

  test('an exposed prefix that requires no token is not denied by it', () => {
    expect(requests(open).filter((request) => denies(policy, request))).toEqual([]);
  });

  test('every rule scopes its operation to ports, which istioctl analyze asks of a DENY rule (IST0133)', () => {
    for (const rule of policy.spec.rules as KubeObject[]) {
      for (const { operation } of rule.to as KubeObject[]) expect(operation.ports ?? operation.notPorts).toBeDefined();
    }
  });
});
