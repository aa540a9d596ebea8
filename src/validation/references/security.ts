import { type Context, DEFAULT_INGRESS_GATEWAY } from '../context';
import { type Entry, formatLabels } from '../inventory';
import { at, record, records, strings, stringMap } from '../shapes';

/** Istio kinds that pick workloads with a selector, and where the labels are. */
const SELECTOR_FIELDS: Record<string, string[]> = {
  AuthorizationPolicy: ['selector', 'matchLabels'],
  PeerAuthentication: ['selector', 'matchLabels'],
  RequestAuthentication: ['selector', 'matchLabels'],
  Telemetry: ['selector', 'matchLabels'],
  Sidecar: ['workloadSelector', 'labels'],
};

/** SPIFFE-style Istio principal: `<trust domain>/ns/<namespace>/sa/<service account>`. */
const PRINCIPAL = /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/;

/** Checks Istio security policies: principals name existing ServiceAccounts, selectors match workloads. */
export function checkSecurityReferences(context: Context): void {
  for (const entry of context.inventory.entries) {
    const fields = SELECTOR_FIELDS[entry.kind];
    if (!fields || !entry.group.endsWith('istio.io')) continue;
    checkSelector(context, entry, fields);
    if (entry.kind === 'AuthorizationPolicy') checkPrincipals(context, entry);
  }
}

function checkSelector(context: Context, entry: Entry, [selectorField, labelsField]: string[]): void {
  const labels = stringMap(record(record(entry.object.spec)[selectorField])[labelsField]);
  const namespace = entry.effectiveNamespace ?? 'default';
  if (Object.keys(labels).length === 0 || context.isExternalNamespace(namespace) || context.isDefaultIngressGateway(namespace, labels)) return;
  if (context.inventory.selected(namespace, { matchLabels: labels }).length === 0) {
    context.report(entry, 'ref-policy-selector', at('spec', selectorField, labelsField),
      `selector ${formatLabels(labels)} matches no workload in namespace ${namespace}, so this ${entry.kind} applies to nothing`);
  }
}

function checkPrincipals(context: Context, entry: Entry): void {
  records(record(entry.object.spec).rules).forEach((rule, i) => records(rule.from).forEach((from, j) => {
    const source = record(from.source);
    for (const field of ['principals', 'notPrincipals']) {
      strings(source[field]).forEach((principal, k) => {
        const match = PRINCIPAL.exec(principal);
        if (!match || principal.includes('*')) return;
        const [, namespace, account] = match;
        if (context.isExternalNamespace(namespace)) return;
        const defaultGateway = context.options.strict && namespace === DEFAULT_INGRESS_GATEWAY.namespace && account === DEFAULT_INGRESS_GATEWAY.serviceAccount;
        if (defaultGateway) return;
        const path = at('spec.rules', i, 'from', j, 'source', field, k);
        if (!context.inventory.namespaces.has(namespace)) {
          context.report(entry, 'ref-authz-principal', path,
            `principal "${principal}" is in namespace ${namespace}, which is not in the input: cannot check ServiceAccount ${account}`,
            { severity: 'warning', hint: 'check the namespace name, or list the namespace as external' });
        } else if (account !== 'default' && !context.inventory.find('ServiceAccount', namespace, account)) {
          const known = context.inventory.ofKind('ServiceAccount', namespace).map((sa) => sa.name);
          context.report(entry, 'ref-authz-principal', path,
            `principal "${principal}" names ServiceAccount ${namespace}/${account}, which does not exist${known.length ? ` (ServiceAccounts: ${known.join(', ')})` : ''}`);
        }
      });
    }
  }));
}
