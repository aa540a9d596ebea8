import { Context } from './context';
import { Inventory } from './inventory';
import { checkAmbient } from './policy/ambient';
import { checkContainers } from './policy/containers';
import { checkMeshSecurity } from './policy/mesh';
import { checkPodSecurity } from './policy/pod-security';
import { checkScaling } from './policy/scaling';
import { checkConfigReferences } from './references/config';
import { checkDuplicates } from './references/duplicates';
import { checkGatewayApi } from './references/gateway-api';
import { checkSecurityReferences } from './references/security';
import { checkStorageReferences } from './references/storage';
import { checkTraffic } from './references/traffic';
import { checkWorkloadReferences } from './references/workloads';
import { checkSchemas } from './schema/check';
import { applySuppressions } from './suppression';
import type { Finding, KubeObject, ValidateOptions } from './types';
import { checkYamlProblems } from './yaml-problems';

/** The checks, in the order their findings are listed for one object: schema, then references, then policy. */
const CHECKS: readonly ((context: Context) => void)[] = [
  checkYamlProblems,
  checkSchemas,
  checkDuplicates,
  checkTraffic,
  checkGatewayApi,
  checkWorkloadReferences,
  checkStorageReferences,
  checkSecurityReferences,
  checkConfigReferences,
  checkPodSecurity,
  checkContainers,
  checkMeshSecurity,
  checkAmbient,
  checkScaling,
];

/**
 * Validates Kubernetes and Istio objects together: each against its API schema, all of them against each other
 * (references), and against the policies (Pod Security Standards restricted, container hygiene, mesh zero trust,
 * production availability). Pure: no I/O besides reading the generated schemas once per process.
 *
 * @param objects plain JSON objects (YAML documents, `ApiObject.toJson()`), `List` kinds already flattened
 * @returns findings after suppressions, ordered by object (input order), then by check
 */
export function validateObjects(objects: readonly KubeObject[], options: ValidateOptions = {}): Finding[] {
  const context = new Context(new Inventory(objects, options.sources), options);
  for (const check of CHECKS) check(context);
  const findings = applySuppressions(context);
  const order = new Map(context.reported.map(({ entry, finding }) => [finding, entry.index]));
  return findings
    .map((finding, position) => ({ finding, position }))
    .sort((a, b) => (order.get(a.finding) ?? 0) - (order.get(b.finding) ?? 0) || a.position - b.position)
    .map(({ finding }) => finding);
}

/** Whether any finding is an error (what fails `cdk8s synth` and the CLI). */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}
