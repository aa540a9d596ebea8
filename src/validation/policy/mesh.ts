import type { Context } from '../context';
import type { Entry } from '../inventory';
import { at, record, records, str } from '../shapes';

/** Istio's root namespace: policies there apply mesh-wide. */
const ROOT_NAMESPACE = 'istio-system';

/**
 * Zero trust in every mesh namespace (a Namespace of the input labelled `istio-injection: enabled`): a namespace-wide
 * STRICT PeerAuthentication and nothing weaker, and a namespace-wide default-deny AuthorizationPolicy (`spec: {}`).
 * Mesh-wide policies in the root namespace count when the input has them.
 */
export function checkMeshSecurity(context: Context): void {
  for (const namespace of context.inventory.allOfKind('Namespace')) {
    if (!context.isMeshNamespace(namespace.name)) continue;
    const scopes = [namespace.name, ROOT_NAMESPACE];
    const authentications = scopes.flatMap((scope) => context.inventory.ofKind('PeerAuthentication', scope));
    if (!authentications.some((policy) => isNamespaceWide(policy) && modeOf(record(record(policy.object.spec).mtls)) === 'STRICT')) {
      context.report(namespace, 'policy-mesh-mtls', '',
        `mesh namespace ${namespace.name} has no namespace-wide PeerAuthentication with mtls.mode STRICT, so plaintext traffic is accepted`);
    }
    for (const policy of context.inventory.ofKind('PeerAuthentication', namespace.name)) weakerModes(context, policy);
    const authorizations = scopes.flatMap((scope) => context.inventory.ofKind('AuthorizationPolicy', scope));
    if (!authorizations.some(isDefaultDeny)) {
      context.report(namespace, 'policy-mesh-default-deny', '',
        `mesh namespace ${namespace.name} has no default-deny AuthorizationPolicy (namespace-wide, empty spec), so every caller is allowed by default`);
    }
  }
}

function isNamespaceWide(policy: Entry): boolean {
  const spec = record(policy.object.spec);
  return spec.selector === undefined && spec.targetRef === undefined && spec.targetRefs === undefined;
}

function modeOf(mtls: Record<string, unknown>): string | undefined {
  return str(mtls.mode);
}

/** PERMISSIVE or DISABLE anywhere in a mesh namespace (whole policy or one port) undoes STRICT. */
function weakerModes(context: Context, policy: Entry): void {
  const spec = record(policy.object.spec);
  const check = (mode: string | undefined, path: string): void => {
    if (mode === 'PERMISSIVE' || mode === 'DISABLE') {
      context.report(policy, 'policy-mesh-mtls', path, `mtls mode ${mode} in mesh namespace ${policy.effectiveNamespace} accepts plaintext traffic`);
    }
  };
  check(modeOf(record(spec.mtls)), 'spec.mtls.mode');
  for (const [port, settings] of Object.entries(record(spec.portLevelMtls))) check(modeOf(record(settings)), at('spec.portLevelMtls', port, 'mode'));
}

/** An ALLOW policy with no rules for the whole namespace denies everything not allowed by another policy. */
function isDefaultDeny(policy: Entry): boolean {
  const spec = record(policy.object.spec);
  const action = str(spec.action) ?? 'ALLOW';
  return isNamespaceWide(policy) && action === 'ALLOW' && records(spec.rules).length === 0 && spec.provider === undefined;
}
