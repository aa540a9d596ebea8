/**
 * The schema artifacts' summaries (src/validation/schema/artifact-summary.ts), which a run reads instead of the
 * artifacts: versions whose schemas of a kind are equal share one compiled function, and only they; a kind whose
 * schemas declare defaults is validated on a copy.
 */
import { summarize } from '../../src/validation/schema/artifact-summary';
import { type ApiFamily, SchemaRegistry, schemaArtifact } from '../../src/validation/schema/registry';

const definitionOf = (family: ApiFamily, version: string, key: string) => {
  const summary = summarize(schemaArtifact(family, version));
  return summary.definitions[summary.kinds[key]];
};

test('a kind whose schemas are equal in two versions has one closure hash and one validation function; one whose schemas differ has two', () => {
  const registry = SchemaRegistry.get();
  const same = [['kubernetes', '1.27', '1.36', 'v1/ServiceAccount'], ['istio', '1.30.8', '1.31.4', 'security.istio.io/v1/AuthorizationPolicy']] as const;
  for (const [family, older, newer, key] of same) {
    expect(definitionOf(family, older, key).closure).toBe(definitionOf(family, newer, key).closure);
    expect(registry.schemaFor(family, older, key)!.validate).toBe(registry.schemaFor(family, newer, key)!.validate);
  }
  const differing = [['kubernetes', '1.27', '1.36', 'apps/v1/Deployment'], ['istio', '1.30.8', '1.31.4', 'networking.istio.io/v1/DestinationRule']] as const;
  for (const [family, older, newer, key] of differing) {
    expect(definitionOf(family, older, key).closure).not.toBe(definitionOf(family, newer, key).closure);
    expect(registry.schemaFor(family, older, key)!.validate).not.toBe(registry.schemaFor(family, newer, key)!.validate);
  }
});

test('a kind whose schemas declare defaults (the Gateway API\'s HTTPRoute) is summarized as applying them; a Deployment is not', () => {
  expect(definitionOf('gateway-api', '1.6.0', 'gateway.networking.k8s.io/v1/HTTPRoute').appliesDefaults).toBe(true);
  expect(definitionOf('kubernetes', '1.36', 'apps/v1/Deployment').appliesDefaults).toBe(false);
  expect(SchemaRegistry.get().schemaFor('gateway-api', '1.6.0', 'gateway.networking.k8s.io/v1/HTTPRoute')!.appliesDefaults).toBe(true);
});
