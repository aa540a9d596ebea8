/**
 * The validator's catalogue: every rule it checks, in documentation order. A rule id is a {@link RuleId}, a union of
 * the ids written here, so a misspelt id in a check, a suppression or a test is a compile error.
 */

/** How bad a finding is: `error` fails `cdk8s synth` and the CLI (exit 1); `warning` is reported only. */
export type Severity = 'error' | 'warning';

/** A rule of the catalogue, by its id: the id is stable (suppression annotations and CI filters use it). */
export interface RuleDefinition<Id extends string> {
  readonly id: Id;
  /** Default severity; a few rules report a milder case as a warning (noted in `summary`). */
  readonly severity: Severity;
  readonly category: 'object' | 'schema' | 'reference' | 'policy' | 'pod-security';
  /** One line for the documentation table. */
  readonly summary: string;
  /** Default fix hint. */
  readonly hint: string;
}

const rule = <const Id extends string>(
  id: Id,
  severity: Severity,
  category: RuleDefinition<Id>['category'],
  summary: string,
  hint: string,
): RuleDefinition<Id> => ({ id, severity, category, summary, hint });

/** Every rule the validator checks, in documentation order. */
export const RULES = [
  rule('object-identity', 'error', 'object', 'apiVersion, kind and metadata.name are set; the name is a valid DNS subdomain',
    'set apiVersion, kind and a lowercase metadata.name (a-z, 0-9, "-", "."; at most 253 characters)'),
  rule('suppression-invalid', 'error', 'object', 'a suppression annotation names a known rule and gives a reason',
    'write `validation.mesh-platform.io/suppress.<rule-id>: "<why this is acceptable>"`'),
  rule('object-yaml', 'error', 'object',
    'the YAML document reads as kubectl reads it: no mapping key twice, no number JSON cannot hold (.nan, .inf)',
    'write each key once, and quote .nan or .inf where a string is meant'),
  rule('schema-unknown-kind', 'error', 'schema',
    'apiVersion/kind is served by every Kubernetes and Istio version checked (a removed one names the release and the replacement; other API groups: warning, not checked)',
    'use an apiVersion served by every Kubernetes and Istio version checked (e.g. apps/v1, networking.istio.io/v1)'),
  rule('schema-unknown-field', 'error', 'schema', 'no field outside the API schema (strict, like kubeconform -strict)',
    'remove the field or fix its spelling (field names are case-sensitive)'),
  rule('schema-required', 'error', 'schema', 'required fields are present', 'add the required field'),
  rule('schema-type', 'error', 'schema', 'values have the schema type (integers, strings, int-or-string, quantities, …)',
    'use the type the API expects (YAML quotes make a string: write 8080, not "8080")'),
  rule('schema-enum', 'error', 'schema', 'values are one of the allowed values', 'use one of the allowed values'),
  rule('schema-value', 'error', 'schema', 'formats, patterns, ranges, lengths, quantities, port names, mutually exclusive fields',
    'fix the value to satisfy the API constraint'),
  rule('schema-cel', 'error', 'schema',
    "a custom resource satisfies its CRD's CEL rules (x-kubernetes-validations; transition rules need the old object and are not checked)",
    "fix the value as the rule's message says"),
  rule('schema-list-duplicate', 'error', 'schema',
    'no duplicates in a list a CRD declares a set, nor two items with the same keys in a list it declares a map (x-kubernetes-list-type)',
    'remove or rename the duplicate item'),
  rule('ref-duplicate-object', 'error', 'reference', 'no two objects share apiVersion group, kind, namespace and name',
    'rename or remove one of the objects'),
  rule('ref-unknown-host', 'error', 'reference',
    'VirtualService destinations and DestinationRule hosts resolve to a Service or ServiceEntry (an external FQDN without ServiceEntry, or a namespace none of whose Services is in the input: warning)',
    'create the Service (or a ServiceEntry for an external host) or fix the host name'),
  rule('ref-unknown-subset', 'error', 'reference', 'each destination subset is defined by a DestinationRule for that host (checked when the host is not in the input but its DestinationRule is)',
    'add the subset to the DestinationRule of the host, or route to a defined subset'),
  rule('ref-subset-selects-nothing', 'error', 'reference',
    "DestinationRule subset labels (with the Service selector, or the ServiceEntry's workloadSelector) select pods of some workload, where the input has workloads for the host (istioctl analyze IST0173)",
    'align the subset labels with the pod template labels (e.g. version: v1)'),
  rule('ref-route-weights', 'error', 'reference',
    'the weights of a VirtualService route with several destinations add up to 100; a Gateway API rule has a backend of weight above 0',
    'make the route weights add up to 100'),
  rule('ref-destination-port', 'error', 'reference', 'a destination port.number is a port of the destination Service',
    'use one of the Service ports'),
  rule('ref-unknown-gateway', 'error', 'reference', 'VirtualService gateways (`name`, `ns/name`, `mesh`) exist',
    'create the Gateway, fix the reference, or list its namespace as external'),
  rule('ref-route-api-mix', 'warning', 'reference', 'no Service is routed by both a VirtualService and an HTTPRoute (Istio does not support mixing them)',
    'route each service with one API: move the VirtualService rules into the HTTPRoute, or remove the HTTPRoute'),
  rule('ref-unused-waypoint', 'warning', 'reference', 'every waypoint (Gateway of class istio-waypoint) is used by a Service or Namespace label `istio.io/use-waypoint`',
    'label the Services (or the Namespace) with istio.io/use-waypoint: <waypoint>, or remove the waypoint'),
  rule('ref-gateway-selector', 'warning', 'reference',
    'a Gateway selector matches a workload in the input (warning: the ingress gateway is usually installed separately; error when the input deploys gateway workloads, or in strict mode)',
    'check the selector against the labels of the gateway deployment (e.g. istio: ingressgateway)'),
  rule('ref-route-parent', 'error', 'reference',
    "a Gateway API route's parentRefs name an existing Gateway (and listener: sectionName, port) whose allowedRoutes accept the route's kind and namespace, or an existing Service (mesh route)",
    'fix the parentRef, or allow the route on the listener (allowedRoutes.namespaces, allowedRoutes.kinds)'),
  rule('ref-route-backend', 'error', 'reference',
    "a Gateway API route's backendRefs name an existing Service with one of its ports; one in another namespace is allowed by a ReferenceGrant there",
    'fix the backendRef (name, namespace, port), or add a ReferenceGrant in the backend namespace'),
  rule('ref-service-selector', 'error', 'reference', 'a Service selector matches the pod template of some workload in its namespace',
    'align the Service selector with the pod template labels'),
  rule('ref-service-target-port', 'error', 'reference', "a Service targetPort (name or number) is a port declared by the selected pods' containers",
    'declare the port in the container (ports[].containerPort / ports[].name) or fix targetPort'),
  rule('ref-workload-selector', 'error', 'reference', "a workload's spec.selector matches its own pod template labels",
    'make spec.selector.matchLabels a subset of spec.template.metadata.labels'),
  rule('ref-hpa-target', 'error', 'reference', 'a HorizontalPodAutoscaler scaleTargetRef names an existing scalable workload (Deployment, StatefulSet, ReplicaSet, ReplicationController, or a custom resource of the input)',
    'fix scaleTargetRef (apiVersion, kind, name) to name the workload'),
  rule('ref-pdb-selector', 'error', 'reference', 'a PodDisruptionBudget has a selector and it matches some pod template (policy/v1: no selector selects no pods)', 'align the selector with the pod template labels'),
  rule('ref-service-account', 'error', 'reference', 'serviceAccountName names an existing ServiceAccount (or `default`)',
    'create the ServiceAccount in the same namespace or fix serviceAccountName'),
  rule('ref-authz-principal', 'error', 'reference',
    'AuthorizationPolicy principals name existing ServiceAccounts (namespace absent from the input: warning)',
    'use cluster.local/ns/<namespace>/sa/<service-account> of an existing ServiceAccount'),
  rule('ref-policy-selector', 'error', 'reference',
    'the selector of an Istio policy (AuthorizationPolicy, PeerAuthentication, RequestAuthentication, Telemetry, Sidecar) matches a workload',
    'align the selector with the pod template labels, or remove it to apply namespace-wide'),
  rule('ref-configmap', 'error', 'reference', 'ConfigMaps (and keys) used by env, envFrom and volumes exist, are optional or declared external',
    'create the ConfigMap, mark the reference optional, or declare it in `validation.mesh-platform.io/external-configmaps`'),
  rule('ref-secret', 'error', 'reference', 'Secrets used by env, envFrom, volumes and imagePullSecrets exist, are optional or declared external',
    'create the Secret, or declare it in `validation.mesh-platform.io/external-secrets` when it is made elsewhere (e.g. by Pulumi)'),
  rule('ref-probe-port', 'error', 'reference', 'probe ports (name or number) are declared by the container',
    'declare the port in the container ports or fix the probe port'),
  rule('ref-volume-mount', 'error', 'reference',
    'volumeMounts name a volume of the pod (or a StatefulSet volumeClaimTemplate); persistentVolumeClaim volumes name a PVC of the input',
    'add the volume (or volumeClaimTemplate), fix the name, or create the PersistentVolumeClaim'),
  rule('ref-statefulset-service', 'error', 'reference',
    'a StatefulSet serviceName names a headless Service (clusterIP: None) in its namespace that selects its pods',
    'create a Service with clusterIP: None selecting the pod labels, or fix serviceName'),
  rule('pss-host-namespaces', 'error', 'pod-security', 'hostNetwork, hostPID and hostIPC are not set (PSS baseline)',
    'remove hostNetwork, hostPID and hostIPC'),
  rule('pss-privileged', 'error', 'pod-security', 'no privileged container (PSS baseline)', 'remove securityContext.privileged'),
  rule('pss-capabilities', 'error', 'pod-security', 'containers drop ALL capabilities and add at most NET_BIND_SERVICE (PSS restricted)',
    'set securityContext.capabilities: { drop: [ALL] } and add nothing but NET_BIND_SERVICE'),
  rule('pss-host-path', 'error', 'pod-security', 'no hostPath volume (PSS baseline)', 'use an emptyDir, configMap, secret or persistentVolumeClaim volume'),
  rule('pss-host-ports', 'error', 'pod-security', 'no hostPort (PSS baseline)', 'remove ports[].hostPort; expose the pod through a Service'),
  rule('pss-apparmor', 'error', 'pod-security', 'AppArmor profiles are runtime/default or localhost/* (PSS baseline)',
    'use runtime/default or a localhost/ profile'),
  rule('pss-selinux', 'error', 'pod-security', 'SELinux type is a container type and user/role are unset (PSS baseline)',
    'remove seLinuxOptions.user/role and use type container_t, container_init_t or container_kvm_t'),
  rule('pss-proc-mount', 'error', 'pod-security', 'procMount is Default (PSS baseline)', 'remove securityContext.procMount'),
  rule('pss-seccomp', 'error', 'pod-security', 'seccompProfile is RuntimeDefault or Localhost for the pod or every container (PSS restricted)',
    'set spec.securityContext.seccompProfile.type: RuntimeDefault'),
  rule('pss-sysctls', 'error', 'pod-security', 'only safe sysctls (PSS baseline)', 'remove the unsafe sysctl'),
  rule('pss-volume-types', 'error', 'pod-security',
    'volumes are configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret (PSS restricted)',
    'use one of the allowed volume types'),
  rule('pss-privilege-escalation', 'error', 'pod-security', 'allowPrivilegeEscalation is false in every container (PSS restricted)',
    'set securityContext.allowPrivilegeEscalation: false'),
  rule('pss-run-as-non-root', 'error', 'pod-security', 'runAsNonRoot is true for the pod or every container (PSS restricted)',
    'set spec.securityContext.runAsNonRoot: true (and runAsUser: 65532)'),
  rule('pss-run-as-user', 'error', 'pod-security', 'runAsUser is not 0 (PSS restricted)', 'run as a non-zero user, e.g. 65532'),
  rule('policy-image-tag', 'error', 'policy', 'images have a tag or digest other than :latest', 'pin the image to a version tag or a digest'),
  rule('policy-resource-requests', 'error', 'policy', 'every container requests CPU and memory (ephemeral containers may not set resources)', 'set resources.requests.cpu and resources.requests.memory'),
  rule('policy-resource-limits', 'warning', 'policy', 'every container limits CPU and memory (ephemeral containers may not set resources)', 'set resources.limits.cpu and resources.limits.memory'),
  rule('policy-readiness-probe', 'error', 'policy', 'every container has a readiness probe (not init or ephemeral containers, nor Jobs and CronJobs, which run to completion)', 'add a readinessProbe (e.g. httpGet /readyz)'),
  rule('policy-liveness-probe', 'warning', 'policy', 'every container has a liveness probe (not init or ephemeral containers, nor Jobs and CronJobs)', 'add a livenessProbe (e.g. httpGet /healthz)'),
  rule('policy-read-only-root-fs', 'error', 'policy', 'every container has a read-only root filesystem',
    'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes'),
  rule('policy-mesh-mtls', 'error', 'policy', 'each mesh namespace (sidecar or ambient) has a namespace-wide STRICT PeerAuthentication and none weaker',
    'add a PeerAuthentication without selector and with mtls.mode: STRICT'),
  rule('policy-mesh-default-deny', 'error', 'policy', 'each mesh namespace has a namespace-wide default-deny AuthorizationPolicy (spec: {})',
    'add an AuthorizationPolicy with an empty spec in the namespace, then allow callers explicitly'),
  rule('policy-ambient-l7-selector', 'error', 'policy',
    'in an ambient namespace, no AuthorizationPolicy with a `selector` uses L7 attributes and no RequestAuthentication has a `selector` (ztunnel enforces L4 only)',
    'attach L7 rules to the waypoint or the Service with targetRefs; keep principals, namespaces and ports in selector policies'),
  rule('policy-production-replicas', 'error', 'policy', 'production: workloads run at least 2 replicas (or an HPA with minReplicas >= 2, a KEDA ScaledObject with minReplicaCount >= 2)',
    'set replicas: 2 or more, or an HPA with minReplicas: 2'),
  rule('policy-production-pdb', 'error', 'policy', 'production: each workload is covered by a PodDisruptionBudget',
    'add a PodDisruptionBudget selecting the pods (e.g. maxUnavailable: 1)'),
  rule('policy-hpa-replicas', 'warning', 'policy', 'a workload scaled by an HPA (or a KEDA ScaledObject) does not set spec.replicas (apply would fight the HPA)',
    'remove spec.replicas; the HPA owns it'),
] as const;

/** The id of a rule of the catalogue, e.g. `ref-unknown-subset`. */
export type RuleId = (typeof RULES)[number]['id'];

/** A rule of the catalogue. */
export type Rule = RuleDefinition<RuleId>;

const byId: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

/** The rule with this id. */
export function ruleById(id: RuleId): Rule {
  return byId.get(id)!;
}

/** Whether `id` is a rule of the catalogue (e.g. the id in a suppression annotation). */
export function isRule(id: string): id is RuleId {
  return byId.has(id);
}
