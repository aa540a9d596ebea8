import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { UNPROCESSED_RETRY_ON } from '../mesh/http-routes';
import { meshTracingProvider, type TraceBackend } from '../observability/tracing';
import { usesGatewayApi, type MeshModes } from '../description/modes';
import { ISTIO_NAMESPACE } from '../description/names/mesh';
import type { PlatformSpec } from '../description/types';
import { ISTIO } from '../versions';
import { GatewayApiCrds } from './gateway-api-crds';
import { DEFAULT_ISTIO_CHART_SOURCE, releaseChart, type IstioChartName, type IstioChartSource } from './istio-charts/source';

/** Where the control plane lives (Istio's default; the platform's NetworkPolicies admit istiod there). */
export { ISTIO_NAMESPACE };

/** Release, Deployment and Service name of the ingress gateway (the name istioctl also gives it). */
export const INGRESS_GATEWAY_NAME = 'istio-ingressgateway';

/** A `global.platform` the charts of {@link ISTIO} carry a profile for. */
export type IstioPlatform = (typeof ISTIO.platforms)[number];

/** Props of {@link IstioInstallation}. */
export interface IstioInstallationArgs {
  /**
   * Where the four charts (`base`, `cni`, `istiod`, `gateway`, all at {@link ISTIO}`.version`) come from.
   * @default Istio's OCI registry, {@link ISTIO}`.ociCharts`
   */
  readonly charts?: IstioChartSource;
  /**
   * Registry (host and path) of the Istio images (`pilot`, `proxyv2`, `install-cni`), set as `global.hub`; a mirror for
   * private or air-gapped clusters. The tag is always the release's, {@link ISTIO}`.version`.
   * @default {@link ISTIO}`.hub` (Docker Hub, where Istio publishes its releases)
   */
  readonly hub?: string;
  /**
   * Install the Istio CNI node agent and make istiod inject no `istio-init` container. Required when the platform's
   * namespace enforces the `restricted` Pod Security profile, which forbids istio-init's NET_ADMIN/NET_RAW.
   * @default true
   */
  readonly cni?: boolean;
  /**
   * Istio's `global.platform` (e.g. `k3d`, `gke`, `openshift`): selects the charts' platform profile, which sets the CNI's
   * host paths (and, for OpenShift, Multus and SELinux settings). Passed to the `cni` and `istiod` charts, the two whose
   * platform profiles hold settings.
   * @default none: the charts' defaults (`/opt/cni/bin`, `/etc/cni/net.d`)
   */
  readonly platform?: IstioPlatform;
  /** Service type of the ingress gateway. Helm's wait needs an external address for `LoadBalancer`. @default 'LoadBalancer' */
  readonly ingressServiceType?: string;
  /**
   * The ingress gateway the platform expects (`spec.gateway`): its namespace (where the platform's JWT policies go),
   * its pod labels (what the Gateway selects) and its ServiceAccount (the principal the services' policies allow).
   */
  readonly gateway: Pick<PlatformSpec['gateway'], 'namespace' | 'selector' | 'serviceAccount'>;
  /**
   * The platform's mesh modes (`spec.mesh`). `ambient` installs Istio's ambient profile: `cni` and `istiod` with
   * `profile: ambient`, and the `ztunnel` chart. `gateway-api` routing installs no `gateway` chart: Istio deploys the
   * ingress pods for the platform's Gateway itself. Either installs the Gateway API CRDs first, in the channel
   * `gatewayApiChannel` names. (istiod needs no PILOT_ENABLE_ALPHA_GATEWAY_API for HTTPRoute `retry`: that flag only
   * enables the alpha kinds, such as XBackendTrafficPolicy.)
   * @default { dataPlane: 'sidecar', routing: 'istio' }
   */
  readonly mesh?: MeshModes;
  /**
   * The environment's trace backend (`spec.observability.tracing.backend`): istiod's `meshConfig.extensionProviders`
   * gains an OpenTelemetry provider for it, which the platform's Telemetry objects select.
   * @default none: no tracing provider (Envoy samples but reports nowhere)
   */
  readonly traceBackend?: TraceBackend;
}

/**
 * istiod's mesh-wide default retry policy, which applies to every route that sets none — every HTTPRoute in the Gateway
 * API's standard channel (which has no retry field), and in the experimental channel the rules of non-idempotent
 * methods (src/mesh/gateway-api/route-rules.ts): retry only requests that never reached the service, so a POST is
 * never sent twice. (VirtualServices always set their own, split by method: src/mesh/http-routes.ts.)
 */
export const DEFAULT_HTTP_RETRY_POLICY = { attempts: 2, retryOn: UNPROCESSED_RETRY_ON } as const;

/** istiod's mesh config: the default retry policy and, with a trace backend, its OpenTelemetry provider. */
export function meshConfig(traceBackend: TraceBackend | undefined): Record<string, unknown> {
  return {
    defaultHttpRetryPolicy: { ...DEFAULT_HTTP_RETRY_POLICY },
    ...(traceBackend ? { extensionProviders: [meshTracingProvider(traceBackend)] } : {}),
  };
}

/** Pod Security labels of Istio's namespace: the CNI node agent and ztunnel need host access, which only `privileged` admits. */
export const ISTIO_NAMESPACE_LABELS = {
  'pod-security.kubernetes.io/enforce': 'privileged',
  'pod-security.kubernetes.io/warn': 'privileged',
  'pod-security.kubernetes.io/audit': 'privileged',
} as const;

/** Whether the platform's objects include Gateway API kinds (its routes, or ambient's waypoint). */
export function needsGatewayApiCrds(mesh: MeshModes | undefined): boolean {
  return mesh !== undefined && usesGatewayApi(mesh);
}

/** One Helm release of the installation: chart, release name, namespace and values. */
export interface IstioReleasePlan {
  readonly name: string;
  readonly chart: IstioChartName;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
}

/**
 * The releases and the values of each, in installation order (pure). Only values the 1.31 charts define are set:
 * - `global.hub`/`global.tag` in `cni` and `istiod`, the charts that name images (the gateway's image is `auto`, which
 *   istiod's injector fills from its own hub and tag), so that charts from any source (Istio's registry, a mirror, or
 *   charts packaged from the Go module, whose defaults are a testing hub and `latest`) run the same images;
 * - `global.platform`, read by the charts' `templates/zzz_profile.yaml`, which merges `files/profile-platform-<name>.yaml`;
 * - istiod's `cni.enabled` (its values.yaml key; `pilot.cni.enabled` is the legacy spelling it copies from).
 */
export function istioReleasePlans(args: IstioInstallationArgs): IstioReleasePlan[] {
  const ambient = args.mesh?.dataPlane === 'ambient';
  const cni = ambient || (args.cni ?? true);
  const images = { hub: args.hub ?? ISTIO.hub, tag: ISTIO.version };
  const platform = args.platform ? { platform: args.platform } : {};
  // Istio's ambient profile (`files/profile-ambient.yaml` of the cni, istiod and ztunnel charts).
  const profile = ambient ? { profile: 'ambient' } : {};
  const plans: IstioReleasePlan[] = [
    { name: 'istio-base', chart: 'base', namespace: ISTIO_NAMESPACE, values: { defaultRevision: 'default' } },
  ];
  if (cni) plans.push({ name: 'istio-cni', chart: 'cni', namespace: ISTIO_NAMESPACE, values: { ...profile, global: { ...images, ...platform } } });
  plans.push({
    name: 'istiod',
    chart: 'istiod',
    namespace: ISTIO_NAMESPACE,
    values: { ...profile, global: { ...images, ...platform }, cni: { enabled: cni }, meshConfig: meshConfig(args.traceBackend) },
  });
  // The ztunnel chart names its image with top-level hub and tag.
  if (ambient) plans.push({ name: 'ztunnel', chart: 'ztunnel', namespace: ISTIO_NAMESPACE, values: { ...profile, ...images, ...(args.platform ? { global: platform } : {}) } });
  if (args.mesh?.routing === 'gateway-api') return plans;
  plans.push(
    {
      name: INGRESS_GATEWAY_NAME,
      chart: 'gateway',
      namespace: args.gateway.namespace,
      values: {
        service: { type: args.ingressServiceType ?? 'LoadBalancer' },
        // The chart's `labels` set the pods' `app`/`istio` selector labels and add the rest.
        labels: { ...args.gateway.selector },
        serviceAccount: { name: args.gateway.serviceAccount },
      },
    },
  );
  return plans;
}

/**
 * Istio {@link ISTIO}`.version` from its Helm charts, in Istio's documented order: `base` (CRDs, cluster roles), `cni`
 * (node agent), `istiod` (control plane and sidecar injector, with `cni.enabled`), `gateway` (ingress gateway).
 * Each step is a Helm release that waits for its workloads; later steps depend on earlier ones. Anything that needs
 * Istio (its CRDs, the injection webhook, the CNI) depends on this component, which Pulumi expands to all four releases.
 */
export class IstioInstallation extends pulumi.ComponentResource {
  /** The Helm releases, in installation order. */
  public readonly releases: readonly k8s.helm.v3.Release[];
  /**
   * The ingress gateway's Service as `namespace/name`; unknown until the gateway release exists. None under Gateway API
   * routing, where Istio deploys the ingress for the platform's Gateway (`<gateway>-istio` in the platform namespace).
   */
  public readonly ingressGatewayService?: pulumi.Output<string>;

  constructor(name: string, args: IstioInstallationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mesh-platform:deploy:IstioInstallation', name, {}, opts);
    const source = args.charts ?? DEFAULT_ISTIO_CHART_SOURCE;

    // Created (or adopted: server-side apply) before the charts, so that the CNI and ztunnel pods are admitted.
    const namespace = new k8s.core.v1.Namespace(ISTIO_NAMESPACE, { metadata: { name: ISTIO_NAMESPACE, labels: { ...ISTIO_NAMESPACE_LABELS } } }, { parent: this });
    // istiod watches the Gateway API only if its CRDs exist, so they come first.
    const crds = needsGatewayApiCrds(args.mesh) ? [new GatewayApiCrds('gateway-api-crds', { channel: args.mesh?.gatewayApiChannel }, { parent: this })] : [];

    const releases: k8s.helm.v3.Release[] = [];
    const plans = istioReleasePlans(args);
    for (const plan of plans) {
      releases.push(
        new k8s.helm.v3.Release(
          plan.name,
          {
            name: plan.name,
            ...releaseChart(source, plan.chart),
            version: ISTIO.version,
            namespace: plan.namespace,
            createNamespace: true,
            values: plan.values,
            // Helm waits for the release's workloads; a failed install is rolled back rather than left half applied.
            atomic: true,
            cleanupOnFail: true,
            timeout: 600,
          },
          // Each release waits for all before it (istiod for base and the CNI, the gateway for istiod).
          { parent: this, dependsOn: [namespace, ...crds, ...releases] },
        ),
      );
    }
    this.releases = releases;
    const gateway = releases[plans.findIndex((plan) => plan.chart === 'gateway')];
    this.ingressGatewayService = gateway && pulumi.interpolate`${gateway.status.namespace}/${gateway.status.name}`;
    this.registerOutputs({ releases: this.releases.map((r) => r.status), ...(this.ingressGatewayService ? { ingressGatewayService: this.ingressGatewayService } : {}) });
  }
}
