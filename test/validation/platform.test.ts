import { imageReferences } from '../../src/images';
import { synthesizePlatform } from '../../src/platform';
import { ENVIRONMENTS, type PlatformSpec } from '../../src/spec';
import { formatFinding, type KubeObject, validateObjects } from '../../src/validation';

/**
 * The Secrets the deployment creates next to the chart's objects (the chart never writes secret values; Pulumi creates
 * each service's Secret with the keys the spec lists), so that what is validated is what gets applied.
 */
function deployedSecrets(spec: PlatformSpec): KubeObject[] {
  return spec.services.flatMap((service) => service.secret ? [{
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: service.secret.name, namespace: spec.namespace },
    type: 'Opaque',
    data: Object.fromEntries(service.secret.keys.map(({ key }) => [key, ''])),
  }] : []);
}

function validateEnvironment(environment: (typeof ENVIRONMENTS)[number], transform = (objects: KubeObject[]) => objects) {
  const { spec, objects } = synthesizePlatform(environment, { images: imageReferences });
  return { spec, findings: validateObjects(transform([...(objects as KubeObject[]), ...deployedSecrets(spec)])) };
}

describe.each(ENVIRONMENTS)('platform output of %s', (environment) => {
  it('has no error, and the warnings in the snapshot', () => {
    const { findings } = validateEnvironment(environment);
    expect(findings.filter((finding) => finding.severity === 'error').map(formatFinding)).toEqual([]);
    expect(findings.map((finding) => `${finding.rule}: ${formatFinding(finding)}`)).toMatchSnapshot();
  });
});

describe('platform output and the validator agree on what is production', () => {
  it('applies the production rules to prod (by its namespace label) and not to dev', () => {
    const withoutBudgets = (objects: KubeObject[]) => objects.filter((object) => object.kind !== 'PodDisruptionBudget');
    const prod = validateEnvironment('prod', withoutBudgets);
    const dev = validateEnvironment('dev', withoutBudgets);
    expect(prod.spec.production).toBe(true);
    expect(prod.findings.filter((finding) => finding.rule === 'policy-production-pdb').length).toBeGreaterThan(0);
    expect(dev.findings.filter((finding) => finding.rule === 'policy-production-pdb')).toEqual([]);
  });

  it('notices a broken canary in the synthesized routes', () => {
    const { findings } = validateEnvironment('prod', (objects) => objects.map((object) => {
      if (object.kind !== 'DestinationRule') return object;
      const spec = object.spec as { subsets?: { name: string }[] };
      return { ...object, spec: { ...spec, subsets: spec.subsets?.slice(0, 1) } };
    }));
    expect(findings.some((finding) => finding.rule === 'ref-unknown-subset' && finding.kind === 'VirtualService')).toBe(true);
  });
});
