/**
 * Synth-time validation of Kubernetes and Istio manifests: schema, references and policy. Library entry point; the CLI
 * is ./cli.ts and the cdk8s validation plugin ./cdk8s-plugin.ts (loaded through ./cdk8s-plugin.js).
 */
export { validateObjects, hasErrors } from './validate';
export { formatFinding, formatText, formatJson, objectLabel, summary } from './format';
export { loadManifests, parseManifests, InputError, type LoadedObjects } from './load';
export { RULES, ruleById, isRule, type Rule, type RuleId } from './rules';
export { constructSources } from './construct-sources';
export { DEFAULT_ISTIO_VERSIONS, DEFAULT_KUBERNETES_VERSIONS, knownVersions, resolveTargets, UnknownVersionError, type Targets } from './targets';
export { EXTERNAL_CONFIGMAPS, EXTERNAL_SECRETS, PRODUCTION_LABEL, SUPPRESS_PREFIX, SIDECAR_INJECTION_LABEL } from './annotations';
export type { Finding, KubeObject, ObjectSource, ReadProblem, Severity, ValidateOptions } from './types';
