import { formatFinding, RULES, validateObjects } from '../../src/validation';
import { baseObjects, corpusCases } from './corpus';

const cases = corpusCases();

describe('validation corpus', () => {
  it('has a failing and a passing case for every rule, and only folders named after rules', () => {
    // Folder names are data: compared as strings, so that a folder named after no rule is reported, not a type error.
    const ruleIds: readonly string[] = RULES.map((rule) => rule.id);
    for (const id of ruleIds) {
      expect({ id, failing: cases.some((c) => c.rule === id && c.expectFailure) }).toEqual({ id, failing: true });
      expect({ id, passing: cases.some((c) => c.rule === id && !c.expectFailure) }).toEqual({ id, passing: true });
    }
    expect(cases.filter((c) => !ruleIds.includes(c.rule)).map((c) => c.file)).toEqual([]);
  });

  it('base application: no errors, only the warning about the separately installed ingress gateway', () => {
    const { objects, sources } = baseObjects();
    const findings = validateObjects(objects, { sources });
    expect(findings.map(formatFinding)).toEqual([
      'Gateway bookinfo/bookinfo-gateway: spec.selector: selector istio=ingressgateway matches no workload in the input (fine if the gateway deployment is installed separately, e.g. by the Istio chart)',
    ]);
  });

  describe.each(cases.filter((c) => c.expectFailure).map((c) => [c.file, c] as const))('%s', (_file, c) => {
    it(`triggers ${c.rule} (${c.severity}) and no other error: ${c.description}`, () => {
      const findings = validateObjects(c.objects, { strict: c.strict, sources: c.sources });
      const ofRule = findings.filter((finding) => finding.rule === c.rule);
      expect(ofRule.length).toBeGreaterThan(0);
      expect(ofRule.every((finding) => finding.severity === c.severity)).toBe(true);
      expect(findings.filter((finding) => finding.severity === 'error' && finding.rule !== c.rule).map(formatFinding)).toEqual([]);
      for (const text of c.expectedMessages) {
        expect(ofRule.map(formatFinding).join('\n')).toContain(text);
      }
      for (const finding of ofRule) expect(finding.hint.length).toBeGreaterThan(0);
    });
  });

  describe.each(cases.filter((c) => !c.expectFailure).map((c) => [c.file, c] as const))('%s', (_file, c) => {
    it(`does not trigger ${c.rule}, nor any error: ${c.description}`, () => {
      const findings = validateObjects(c.objects, { strict: c.strict, sources: c.sources });
      const silent = [c.rule, ...c.silentRules];
      expect(findings.filter((finding) => silent.includes(finding.rule)).map(formatFinding)).toEqual([]);
      expect(findings.filter((finding) => finding.severity === 'error').map(formatFinding)).toEqual([]);
    });
  });
});
