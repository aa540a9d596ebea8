import { DATAPLANE_MODE_LABEL, GATEWAY_API_CHANNEL_LABEL, PRODUCTION_LABEL, REVISION_LABEL, SIDECAR_INJECTION_LABEL } from './annotations';
import type { Entry, Inventory } from './inventory';
import { ruleById, type RuleId } from './rules';
import type { Finding, Severity, ValidateOptions } from './types';

/** Istio's default ingress gateway, which `istioctl analyze` assumes installed (strict mode does too). */
export const DEFAULT_INGRESS_GATEWAY = {
  namespace: 'istio-system',
  serviceAccount: 'istio-ingressgateway',
  labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } as Record<string, string>,
} as const;

/** Default of ValidateOptions.externalNamespaces. */
export const DEFAULT_EXTERNAL_NAMESPACES: readonly string[] = ['istio-system', 'kube-system'];

/** What every check receives: the indexed input, the options and a place to report findings. */
export class Context {
  /** Findings in the order reported, each with the object it is about. */
  readonly reported: { entry: Entry; finding: Finding }[] = [];
  private readonly external: ReadonlySet<string>;

  constructor(readonly inventory: Inventory, readonly options: ValidateOptions) {
    this.external = new Set(options.externalNamespaces ?? DEFAULT_EXTERNAL_NAMESPACES);
  }

  /** Records a finding of `ruleId` on `entry` (severity and hint default to the rule's). */
  report(found: Entry, ruleId: RuleId, path: string, foundMessage: string, extra: { severity?: Severity; hint?: string } = {}): void {
    // A finding about an object a controller creates is reported on the input object that makes it.
    const entry = found.impliedBy ?? found;
    const message = found.impliedBy ? `${found.kind} ${found.name} (created by this ${entry.kind}): ${foundMessage}` : foundMessage;
    const rule = ruleById(ruleId);
    const source = entry.source ?? {};
    const finding: Finding = {
      rule: rule.id,
      severity: extra.severity ?? rule.severity,
      kind: entry.kind || '(no kind)',
      name: entry.name || '(no name)',
      ...(entry.namespace !== undefined ? { namespace: entry.namespace } : {}),
      path,
      message,
      hint: extra.hint ?? rule.hint,
      ...(source.file !== undefined ? { file: source.file } : {}),
      ...(source.line !== undefined ? { line: source.line } : {}),
      ...(source.constructPath !== undefined ? { constructPath: source.constructPath } : {}),
    };
    this.reported.push({ entry, finding });
  }

  /** Whether strict mode assumes Istio's default ingress gateway has pods labelled `labels` in `namespace`. */
  isDefaultIngressGateway(namespace: string, labels: Record<string, string>): boolean {
    return this.options.strict === true && namespace === DEFAULT_INGRESS_GATEWAY.namespace
      && Object.entries(labels).every(([key, value]) => DEFAULT_INGRESS_GATEWAY.labels[key] === value);
  }

  /** Whether the production rules apply in `namespace` (option `production`, or the namespace's production label). */
  isProduction(namespace: string | undefined): boolean {
    if (this.options.production) return true;
    return this.namespaceLabel(namespace, PRODUCTION_LABEL) === 'true';
  }

  /**
   * The Gateway API channel `namespace`'s objects are written for: `experimental` when the input labels the namespace
   * `mesh-platform.io/gateway-api-channel: experimental`, else `standard`.
   */
  gatewayApiChannel(namespace: string | undefined): 'standard' | 'experimental' {
    return this.namespaceLabel(namespace, GATEWAY_API_CHANNEL_LABEL) === 'experimental' ? 'experimental' : 'standard';
  }

  /**
   * Whether `namespace` is declared in the input as part of the mesh, as Istio reads its labels: sidecar injection
   * (`istio-injection: enabled`, or a revision label `istio.io/rev` unless `istio-injection: disabled`) or ambient mode
   * (`istio.io/dataplane-mode: ambient`, where ztunnel enforces the same PeerAuthentication and L4 policies).
   */
  isMeshNamespace(namespace: string): boolean {
    const injection = this.namespaceLabel(namespace, SIDECAR_INJECTION_LABEL);
    if (injection === 'enabled') return true;
    if (injection !== 'disabled' && this.namespaceLabel(namespace, REVISION_LABEL) !== undefined) return true;
    return this.namespaceLabel(namespace, DATAPLANE_MODE_LABEL) === 'ambient';
  }

  /**
   * Whether objects of `namespace` live outside the input (ValidateOptions.externalNamespaces); in strict mode not when
   * the input holds objects of that namespace (istioctl analyze checks whatever it is given).
   */
  isExternalNamespace(namespace: string): boolean {
    if (this.options.strict && this.inventory.namespaces.has(namespace)) return false;
    return this.external.has(namespace);
  }

  private namespaceLabel(namespace: string | undefined, label: string): string | undefined {
    return namespace === undefined ? undefined : this.inventory.find('Namespace', undefined, namespace)?.labels[label];
  }
}
