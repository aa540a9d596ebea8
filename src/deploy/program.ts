import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { imageReferences } from '../images/index';
import { isProgressive } from '../description/delivery-schema';
import type { PlatformSpec } from '../description/types';
import { clusterPreflight } from './cluster-preflight';
import { configProblem, DeployConfigError, readDeployConfig, type CanaryWeights, type DeployConfig } from './config';
import { serviceImageBuilds } from './image-builds';
import { prebuiltImageProblems } from './prebuilt-images';
import { gatewayApiAddress, installedGatewayAddress, type IngressAddress } from './ingress-address';
import { gatewayApiPreflight } from './gateway-api-preflight';
import { IstioInstallation, needsGatewayApiCrds } from './istio-installation';
import { alertWebhookUrlProblems } from './alert-webhook-secret';
import { MonitoringCrds, installsMonitoringCrds } from './monitoring-crds';
import { DeliveryCrds, installsDeliveryCrds } from './delivery-crds';
import { canaryPhases, type CanaryPhases } from './canary-phases';
import { PlatformDeployment } from './platform-deployment';
import { checkedSecretConfig } from './secret-config';
import { ServiceImages } from './service-images';
import { loadStackSpec, stackOverrides } from './stack-overrides';

/** What `pulumi stack output` shows after a deployment. */
export interface PlatformStackOutputs {
  /** Namespace of the services. */
  readonly namespace: string;
  /**
   * The ingress: the hosts the Gateway serves, the Service that receives the traffic (`namespace/name`) and its
   * external address when the cluster reports one (ingress-address.ts). With Istio routing, only when this stack
   * installed Istio (the `gateway` chart's Service); with the Gateway API, the Service Istio creates for the
   * platform's Gateway (`<gateway>-istio`) and the address in the Gateway's status.
   */
  readonly gateway: { readonly hosts: readonly string[] } & IngressAddress;
  /** Per service: the deployed image, `<registry>/<service>:<tag>@sha256:<digest>`. */
  readonly images: Readonly<Record<string, pulumi.Output<string>>>;
  /** Per service delivered statically: the traffic weight of each version now deployed (Flagger sets the others'). */
  readonly canary: CanaryWeights;
  /**
   * Per service delivered progressively: its Canary's phase as Flagger reports it (`status.phase`: Initializing,
   * Initialized, Progressing, Promoting, Finalising, Succeeded, Failed, …) when this deploy read it; every `pulumi up`
   * reads it again. None in an environment without one.
   */
  readonly canaries: CanaryPhases;
}

/** The weights per service and version of a resolved spec; a progressive service's are Flagger's, so not listed. */
export function canaryWeights(spec: PlatformSpec): CanaryWeights {
  return Object.fromEntries(spec.services.filter((s) => !isProgressive(s))
    .map((s) => [s.name, Object.fromEntries(s.versions.map((v) => [v.name, v.weight]))]));
}

/**
 * The whole deployment of one stack: a Kubernetes provider (server-side apply), the image builds, Istio, the
 * monitoring CRDs and Flagger's when asked, and the platform chart's objects. Pure wiring; every decision is in the components and the stack config, which is
 * checked in full before the first resource is registered (a rejection, never a run that waits forever).
 */
export async function deployPlatform(config: DeployConfig): Promise<PlatformStackOutputs> {
  const overrides = stackOverrides(config);
  // Resolved (and the stack's overrides checked) once up front for the registry and the Istio settings; the component
  // resolves the same inputs again.
  const spec = loadStackSpec(config);
  const references = imageReferences(spec.registry);

  const prebuilt = config.images ?? {};
  const problems = [
    ...prebuiltImageProblems(prebuilt, references).map(({ key, message }) => configProblem(key, message)),
    ...alertWebhookUrlProblems(spec, config.alertWebhookUrl),
  ];
  if (problems.length > 0) throw new DeployConfigError(problems);
  const { secrets, databases } = await checkedSecretConfig(spec, config);

  const provider = new k8s.Provider('kubernetes', {
    kubeconfig: config.kubeconfig,
    context: config.kubeContext,
    // Server-side apply: no last-applied annotation (which would hold Secret data in plain text), field ownership
    // shared with controllers (the HPA owns replicas).
    enableServerSideApply: true,
  });
  const toBuild = Object.fromEntries(Object.entries(references).filter(([service]) => prebuilt[service] === undefined));
  const builds = new ServiceImages('images', {
    builds: serviceImageBuilds(toBuild, config.baseImages),
    credentials: config.registryCredentials,
  });
  const pinnedImages = { ...builds.references, ...Object.fromEntries(Object.entries(prebuilt).map(([s, r]) => [s, pulumi.output(r)])) };

  const istio = config.installIstio
    ? new IstioInstallation(
        'istio',
        {
          charts: config.istioCharts,
          hub: config.istioHub,
          cni: spec.istio.cni,
          platform: config.istioPlatform,
          ingressServiceType: config.ingressServiceType,
          gateway: spec.gateway,
          mesh: spec.mesh,
          traceBackend: spec.observability.tracing.backend,
        },
        { providers: [provider] },
      )
    : undefined;

  const monitoringCrds = installsMonitoringCrds(spec) ? new MonitoringCrds('monitoring-crds', { providers: [provider] }) : undefined;
  const deliveryCrds = installsDeliveryCrds(spec) ? new DeliveryCrds('delivery-crds', { providers: [provider] }) : undefined;

  const platform = new PlatformDeployment(
    'platform',
    {
      environment: config.environment,
      overrides,
      images: references,
      pinnedImages,
      secrets,
      databases: { databases, postgresPassword: config.postgresPassword },
      alertWebhookUrl: config.alertWebhookUrl,
      dependsOn: [istio, monitoringCrds, deliveryCrds].filter((resource) => resource !== undefined),
    },
    { providers: [provider] },
  );

  const ingress = platform.spec.mesh.routing === 'gateway-api'
    ? gatewayApiAddress(platform.spec, platform, provider)
    : istio?.ingressGatewayService ? installedGatewayAddress(istio.ingressGatewayService, istio, provider) : {};
  return {
    namespace: platform.spec.namespace,
    gateway: { hosts: platform.spec.gateway.hosts, ...ingress },
    images: pinnedImages,
    canary: canaryWeights(platform.spec),
    canaries: canaryPhases(platform, provider),
  };
}

/**
 * The program as Pulumi runs it (src/deploy/index.ts, and `npm run deploy` through the Automation API): reads the
 * stack config once, checks that its cluster can be reached (failing fast, naming the kubeconfig and context) and,
 * when the program does not install Istio, that it has the Gateway API CRDs an environment on the Gateway API needs;
 * deploys.
 */
export async function runProgram(): Promise<PlatformStackOutputs> {
  const config = readDeployConfig();
  const access = await clusterPreflight(config);
  if (!config.installIstio) {
    const { mesh } = loadStackSpec(config);
    if (needsGatewayApiCrds(mesh)) await gatewayApiPreflight(mesh.gatewayApiChannel, access);
  }
  return deployPlatform(config);
}

