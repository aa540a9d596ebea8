/** The library as a user imports it (src/index.ts), and the validator's errors in one line each. */
import { formatFinding, hasErrors, validateObjects, type KubeObject } from '../../src/validation';

export * from '../../src/index';

/** The validator's errors on `objects`, formatted; empty when there are none. */
export function hasErrorsOf(objects: readonly KubeObject[]): string[] {
  const findings = validateObjects(objects);
  return hasErrors(findings) ? findings.filter((finding) => finding.severity === 'error').map((finding) => formatFinding(finding)) : [];
}
