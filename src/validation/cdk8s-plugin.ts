import { join, relative, resolve } from 'node:path';
import type { Validation, ValidationContext, ValidationViolatingResource } from 'cdk8s-cli/lib/plugins';
import { commonDirectory, groupByUnit, metadataKey, readConstructMetadata } from './construct-metadata';
import { objectLabel, summary } from './format';
import { InputError, loadManifests } from './load';
import { ruleById } from './rules';
import { resolveTargets, type Targets } from './targets';
import type { Finding, ValidateOptions } from './types';
import { validateObjects } from './validate';

/** Properties of the plugin, given under `properties:` of its `validations:` entry in cdk8s.yaml. */
export interface MeshPlatformValidationProps {
  /** Apply the production rules to every namespace (otherwise only to namespaces labelled production). @default false */
  readonly production?: boolean;
  /**
   * Kubernetes API levels to check against (strings: YAML reads an unquoted 1.30 as the number 1.3); each must serve
   * every object's apiVersion/kind. An unknown level fails synthesis, naming the known ones.
   * @default ['1.27', '1.36']
   */
  readonly kubernetesVersions?: string[];
  /**
   * Istio releases to check Istio objects against (strings); an unknown one fails synthesis, naming the known ones.
   * @default ['1.30.8', '1.31.4'] (the installed release and the previous minor; 1.22.8 on request)
   */
  readonly istioVersions?: string[];
  /** Namespaces installed outside the app, whose objects are not checked as references. @default ['istio-system', 'kube-system'] */
  readonly externalNamespaces?: string[];
}

/**
 * cdk8s validation plugin: `cdk8s synth` runs it on the synthesized manifests and fails on any error finding.
 * Each environment directory (see groupByUnit) is validated on its own, with the construct paths cdk8s recorded there.
 */
export class MeshPlatformValidation implements Validation {
  private readonly options: ValidateOptions;
  /** The versions checked, resolved once: an unknown one fails at construction. */
  private readonly targets: Targets;

  /** @throws UnknownVersionError for a Kubernetes or Istio version without schemas (cdk8s prints it and fails). */
  constructor(props: MeshPlatformValidationProps = {}) {
    this.targets = resolveTargets({ kubernetesVersions: props.kubernetesVersions, istioVersions: props.istioVersions });
    this.options = {
      production: props.production ?? false,
      kubernetesVersions: this.targets.kubernetes,
      istioVersions: this.targets.istio,
      ...(props.externalNamespaces ? { externalNamespaces: props.externalNamespaces } : {}),
    };
  }

  async validate(context: ValidationContext): Promise<void> {
    const manifests = context.manifests.map((manifest) => resolve(manifest));
    const root = commonDirectory(manifests);
    const all: Finding[] = [];
    let objects = 0;
    try {
      for (const [unit, files] of groupByUnit(manifests, root)) {
        const loaded = loadManifests(files);
        const paths = readConstructMetadata(unit);
        // cdk8s keys its metadata by name only: trust a name-only entry only when one object of the unit has that name.
        const names = new Map<string, number>();
        for (const object of loaded.objects) names.set(object.metadata?.name ?? '', (names.get(object.metadata?.name ?? '') ?? 0) + 1);
        const sources = loaded.sources.map((source, i) => {
          const { kind = '', metadata = {} } = loaded.objects[i];
          const name = metadata.name ?? '';
          const exact = paths.get(metadataKey(kind, metadata.namespace, name));
          const constructPath = exact ?? (names.get(name) === 1 ? paths.get(name) : undefined);
          return { ...source, file: relative(root, source.file ?? ''), ...(constructPath ? { constructPath } : {}) };
        });
        all.push(...validateObjects(loaded.objects, { ...this.options, sources }));
        objects += loaded.objects.length;
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      context.report.addViolation({ ruleName: 'input', recommendation: error.message, fix: 'fix the synthesized YAML', violatingResources: [] });
      context.report.submit('failure', { error: error.message });
      return;
    }
    report(context, all, root);
    const { kubernetes, istio } = this.targets;
    context.logger.log(`mesh-platform validation: ${summary(all, objects)} (Kubernetes ${kubernetes.join(', ')}; Istio ${istio.join(', ')})`);
    const errors = all.filter((finding) => finding.severity === 'error').length;
    context.report.submit(errors > 0 ? 'failure' : 'success', { findings: summary(all, objects) });
  }
}

/** Adds one violation per rule, listing each object with its findings' paths and messages. */
function report(context: ValidationContext, findings: readonly Finding[], root: string): void {
  // cdk8s prints `Construct Path:` from context.metadata by resource name: give it ours (exact per object).
  const metadata = context.metadata as Record<string, { path: string }>;
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) byRule.set(`${finding.rule} (${finding.severity})`, [...(byRule.get(`${finding.rule} (${finding.severity})`) ?? []), finding]);
  for (const [ruleName, ofRule] of byRule) {
    const rule = ruleById(ofRule[0].rule);
    const resources = new Map<string, ValidationViolatingResource & { locations: string[] }>();
    for (const finding of ofRule) {
      // Unique per object and environment: the same object name appears in every dist/<environment>/.
      const resourceName = `${objectLabel(finding)} (${finding.file}${finding.line ? `:${finding.line}` : ''})`;
      if (finding.constructPath && Object.isExtensible(metadata)) metadata[resourceName] = { path: finding.constructPath };
      const resource = resources.get(resourceName) ?? { resourceName, manifestPath: join(root, finding.file ?? ''), locations: [] };
      resource.locations.push(`${finding.path ? `${finding.path}: ` : ''}${finding.message}`);
      resources.set(resourceName, resource);
    }
    context.report.addViolation({ ruleName, recommendation: rule.summary, fix: rule.hint, violatingResources: [...resources.values()] });
  }
}
