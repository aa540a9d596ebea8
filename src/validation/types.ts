/** Public types of the validation library. */
import type { RuleId, Severity } from './rules';

export type { RuleId, Severity };

/** A Kubernetes or Istio object as plain JSON (what `ApiObject.toJson()` or a YAML document gives). */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** Where an object came from, for messages (the CLI and the cdk8s plugin know; in-memory callers may not). */
export interface ObjectSource {
  /** File the object was read from. */
  readonly file?: string;
  /** 1-based line of the object's YAML document in `file`. */
  readonly line?: number;
  /** Path of the cdk8s construct that synthesized the object (e.g. `prod/order-service/Deployment-v1`). */
  readonly constructPath?: string;
  /** What kubectl would refuse in the object's YAML (a key set twice, `.nan`), as the loader found it: `object-yaml` findings. */
  readonly readProblems?: readonly ReadProblem[];
}

/** A problem of an object's YAML text that its JSON no longer shows (see ObjectSource.readProblems). */
export interface ReadProblem {
  /** Field path in the object, e.g. `spec.template.spec.containers[0].name`. */
  readonly path: string;
  /** 1-based line of the problem in the file. */
  readonly line: number;
  readonly message: string;
}

/** One problem found on one object. */
export interface Finding {
  /** Stable rule id (see RULES), e.g. `ref-unknown-subset`; also the key of the suppression annotation. */
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly kind: string;
  readonly name: string;
  /** The object's namespace; absent for cluster-scoped objects and for namespaced ones that do not set it. */
  readonly namespace?: string;
  /** Field path in the object, dotted with indexes, e.g. `spec.http[0].route[1].destination.subset`; `` for the whole object. */
  readonly path: string;
  /** What is wrong, without the object prefix (see formatFinding for the full line). */
  readonly message: string;
  /** How to fix it. */
  readonly hint: string;
  /** File the object was read from, when known. */
  readonly file?: string;
  /** 1-based line of the object's document in `file`, when known. */
  readonly line?: number;
  /** Path of the cdk8s construct that synthesized the object, when known. */
  readonly constructPath?: string;
}

/** Options of validateObjects. */
export interface ValidateOptions {
  /**
   * Treat every namespace as production (at least two replicas and a PodDisruptionBudget per workload). A namespace can
   * also be marked production on its own with the label `mesh-platform.io/production: "true"`.
   * @default false
   */
  readonly production?: boolean;
  /**
   * Kubernetes API levels every built-in object must be served by and valid in (`1.27`, `1.36`; a patch release such as
   * `1.36.3` means its level). An apiVersion/kind one of them does not serve is an error saying why: removed in which
   * release and what to use instead, or served only from a later release. Only levels with schemas in
   * imports/schemas/ are known (see knownVersions); others throw UnknownVersionError.
   * @default ['1.27', '1.36'] (KUBERNETES_API.floor and .current of src/versions.ts)
   */
  readonly kubernetesVersions?: readonly string[];
  /**
   * Istio releases whose CRD schemas every Istio object must be served by and satisfy (those generated into
   * imports/schemas/; others throw UnknownVersionError).
   * @default ['1.30.8', '1.31.4'] (ISTIO_DEFAULT_SCHEMA_VERSIONS of src/versions.ts: the installed release and the previous minor; 1.22.8 on request)
   */
  readonly istioVersions?: readonly string[];
  /**
   * Namespaces whose objects live outside the input (installed separately), so references into them are not checked:
   * e.g. a VirtualService bound to `istio-system/ingressgateway` or a principal of the ingress gateway's service account.
   * @default ['istio-system', 'kube-system']
   */
  readonly externalNamespaces?: readonly string[];
  /**
   * Judge as `istioctl analyze` does where the defaults take a documented stance: objects in an external namespace
   * (`istio-system`, …) are checked when the input holds that namespace's objects; Istio's default ingress gateway
   * (`istio-system/istio-ingressgateway`, labels `istio: ingressgateway`, `app: istio-ingressgateway`) counts as
   * installed, a Gateway selector matching no workload besides it is an error, not a warning, and so is a host whose
   * namespace has no Service in the input (the default takes such a routing-only input as partial: a warning).
   * @default false
   */
  readonly strict?: boolean;
  /** Where each object came from, in the same order as the objects (file, line, construct path). @default none */
  readonly sources?: readonly (ObjectSource | undefined)[];
}
