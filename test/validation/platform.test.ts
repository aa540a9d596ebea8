import { synthesizePlatform } from '../../src/platform';
import { ENVIRONMENTS } from '../../src/description';
import {
  DEFAULT_ISTIO_VERSIONS,
  DEFAULT_KUBERNETES_VERSIONS,
  formatFinding,
  type KubeObject,
  validateObjects,
  type ValidateOptions,
} from '../../src/validation';
import { MODE_VARIANTS, TEST_IMAGES, synthesizeVariants } from '../support/platform';

// The Secret the pods mount is not in the output (Pulumi creates it): the Deployments declare it external.

function validateEnvironment(
  environment: (typeof ENVIRONMENTS)[number],
  transform = (objects: KubeObject[]) => objects,
  options: ValidateOptions = {},
) {
  const { spec, objects } = synthesizePlatform(environment, { images: TEST_IMAGES });
  return { spec, findings: validateObjects(transform([...(objects as KubeObject[])]), options) };
}

const errors = (findings: ReturnType<typeof validateObjects>) =>
  findings.filter((finding) => finding.severity === 'error').map(formatFinding);

describe.each(ENVIRONMENTS)('platform output of %s', (environment) => {
  // On the default targets: every Kubernetes and Istio version known.
  it('has no error, and the warnings in the snapshot', () => {
    const { findings } = validateEnvironment(environment);
    expect(errors(findings)).toEqual([]);
    expect(findings.map((finding) => `${finding.rule}: ${formatFinding(finding)}`)).toMatchSnapshot();
  });

  it.each([
    ...DEFAULT_KUBERNETES_VERSIONS.map((version) => [`Kubernetes ${version}`, { kubernetesVersions: [version], istioVersions: DEFAULT_ISTIO_VERSIONS }] as const),
    ...DEFAULT_ISTIO_VERSIONS.map((version) => [`Istio ${version}`, { istioVersions: [version] }] as const),
  ])('has no error on %s alone', (_target, options) => {
    expect(errors(validateEnvironment(environment, undefined, options).findings)).toEqual([]);
  });
});

// The mode combinations no environment ships (prod on ambient with its NetworkPolicies, …), on the default targets.
describe('platform output of the mode variants', () => {
  const variants = synthesizeVariants();
  it.each(Object.keys(MODE_VARIANTS).filter((name) => !(ENVIRONMENTS as readonly string[]).includes(name)))('%s has no error', (variant) => {
    expect(errors(validateObjects(variants[variant].objects, {}))).toEqual([]);
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
