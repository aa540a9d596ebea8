import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { PlatformSpec } from '../spec/types';

/**
 * The Istio release installed by this program: the version whose CRDs the bindings in imports/ were generated from
 * (see imports/README.md), and which supports Kubernetes 1.27 (cdk8s-plus-27).
 */
export const ISTIO_VERSION = '1.22.8';

/** Istio's official Helm repository. */
export const ISTIO_HELM_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';

/** Where the control plane lives (Istio's default). */
export const ISTIO_NAMESPACE = 'istio-system';

/** Release, Deployment and Service name of the ingress gateway (the name istioctl also gives it). */
export const INGRESS_GATEWAY_NAME = 'istio-ingressgateway';

/** Props of {@link IstioInstallation}. */
export interface IstioInstallationArgs {
  /** Chart version of all four charts. @default {@link ISTIO_VERSION} */
  readonly version?: string;
  /**
   * Install the Istio CNI node agent and make istiod inject no `istio-init` container. Required when the platform's
   * namespace enforces the `restricted` Pod Security profile, which forbids istio-init's NET_ADMIN/NET_RAW.
   * @default true
   */
  readonly cni?: boolean;
  /** Istio's `global.platform` (e.g. `k3d`, `gke`, `openshift`) where the CNI needs platform paths. @default none */
  readonly platform?: string;
  /** Service type of the ingress gateway. Helm's wait needs an external address for `LoadBalancer`. @default 'LoadBalancer' */
  readonly ingressServiceType?: string;
  /**
   * The ingress gateway the platform expects (`spec.gateway`): its namespace (where the platform's JWT policies go),
   * its pod labels (what the Gateway selects) and its ServiceAccount (the principal the services' policies allow).
   */
  readonly gateway: Pick<PlatformSpec['gateway'], 'namespace' | 'selector' | 'serviceAccount'>;
}

/**
 * Istio from its official Helm charts, in Istio's documented order: `base` (CRDs, cluster roles), `cni` (node agent),
 * `istiod` (control plane and sidecar injector, with `pilot.cni.enabled`), `gateway` (ingress gateway).
 * Each step is a Helm release that waits for its workloads; later steps depend on earlier ones. Anything that needs
 * Istio (its CRDs, the injection webhook, the CNI) depends on this component, which Pulumi expands to all four releases.
 */
export class IstioInstallation extends pulumi.ComponentResource {
  /** The Helm releases, in installation order. */
  public readonly releases: readonly k8s.helm.v3.Release[];
  /** The ingress gateway's Service as `namespace/name`; unknown until the gateway release exists. */
  public readonly ingressGatewayService: pulumi.Output<string>;

  constructor(name: string, args: IstioInstallationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mesh-platform:deploy:IstioInstallation', name, {}, opts);
    const version = args.version ?? ISTIO_VERSION;
    const cni = args.cni ?? true;
    const global = args.platform ? { global: { platform: args.platform } } : {};

    const release = (releaseName: string, chart: string, namespace: string, values: object, dependsOn: pulumi.Resource[]) =>
      new k8s.helm.v3.Release(
        releaseName,
        {
          name: releaseName,
          chart,
          version,
          namespace,
          createNamespace: true,
          repositoryOpts: { repo: ISTIO_HELM_REPOSITORY },
          values,
          // Helm waits for the release's workloads; a failed install is rolled back rather than left half applied.
          atomic: true,
          cleanupOnFail: true,
          timeout: 600,
        },
        { parent: this, dependsOn },
      );

    const base = release('istio-base', 'base', ISTIO_NAMESPACE, { defaultRevision: 'default' }, []);
    const cniRelease = cni ? release('istio-cni', 'cni', ISTIO_NAMESPACE, global, [base]) : undefined;
    const istiod = release(
      'istiod',
      'istiod',
      ISTIO_NAMESPACE,
      { ...global, pilot: { cni: { enabled: cni } } },
      cniRelease ? [base, cniRelease] : [base],
    );
    const gateway = release(
      INGRESS_GATEWAY_NAME,
      'gateway',
      args.gateway.namespace,
      {
        service: { type: args.ingressServiceType ?? 'LoadBalancer' },
        // The chart's `labels` set the pods' `app`/`istio` selector labels and add the rest.
        labels: { ...args.gateway.selector },
        serviceAccount: { name: args.gateway.serviceAccount },
      },
      [istiod],
    );

    this.releases = cniRelease ? [base, cniRelease, istiod, gateway] : [base, istiod, gateway];
    this.ingressGatewayService = pulumi.interpolate`${gateway.status.namespace}/${gateway.status.name}`;
    this.registerOutputs({ releases: this.releases.map((r) => r.status), ingressGatewayService: this.ingressGatewayService });
  }
}
