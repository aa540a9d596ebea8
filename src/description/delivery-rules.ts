/**
 * What progressive delivery (Flagger) can and cannot express of a service's description, each issue with its field
 * and the alternative. Verified against Flagger v1.44.0's routers (pkg/router/istio.go, gateway_api.go): one
 * Deployment becomes `<name>-primary` and the canary; one weighted route carries the description's timeout (and, with
 * Istio routing, one retry policy and the DestinationRules' traffic policy); `analysis.match` sends only the matching
 * requests through the canary (A/B testing); there is no fault injection, and mirroring exists only as Flagger's own
 * `analysis.mirror` of the primary's traffic.
 */
import type { z } from 'zod';
import type { ConfigIssue } from './errors';
import { DEFAULT_STEP_WEIGHT, type ProgressiveDelivery } from './delivery-schema';
import type { platformSchema } from './schema';

type Platform = z.output<typeof platformSchema>;
type Service = Platform['services'][number];

const STATIC = "or set delivery.mode to 'static' in this environment";

function stepIssues(delivery: ProgressiveDelivery, at: string): ConfigIssue[] {
  const { stepWeight, stepWeights, maxWeight } = delivery;
  if (stepWeight !== undefined && stepWeights !== undefined) {
    return [{ path: `${at}.stepWeights`, message: 'stepWeight and stepWeights are both set, and Flagger would follow only stepWeights', fix: 'set one of them' }];
  }
  if (stepWeights !== undefined) {
    const rising = stepWeights.every((w, i) => i === 0 || w > stepWeights[i - 1]);
    return rising ? [] : [{ path: `${at}.stepWeights`, message: `weights must increase step by step (got ${stepWeights.join(', ')})`, fix: 'list them in increasing order, e.g. [5, 10, 25, 50]' }];
  }
  const step = stepWeight ?? DEFAULT_STEP_WEIGHT;
  return step > maxWeight
    ? [{ path: `${at}.stepWeight`, message: `the first step (${step}%) is above maxWeight (${maxWeight}%)`, fix: `lower stepWeight to ${maxWeight} or less, or raise maxWeight` }]
    : [];
}

function serviceIssues(platform: Platform, service: Service, delivery: ProgressiveDelivery, at: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const versions = service.versions.map((v) => v.name);
  if (versions.length !== 1) {
    issues.push({
      path: `${at}.versions`,
      message: `progressive delivery runs one Deployment, which Flagger copies to <name>-primary, and a new image starts the canary (got ${versions.length} versions: ${versions.join(', ')})`,
      fix: `set versions to the one version this environment runs, e.g. [{ name: '${versions.at(-1)}' }], ${STATIC} for explicit versions with weights`,
    });
  }
  if (service.canary.weights !== undefined) {
    issues.push({
      path: `${at}.canary.weights`,
      message: 'explicit weights cannot be combined with progressive delivery: Flagger sets the weights step by step',
      fix: `set canary to null in this environment's overrides (delivery.stepWeight and maxWeight shape the steps), ${STATIC}`,
    });
  }
  if (service.canary.header !== undefined) {
    issues.push({
      path: `${at}.canary.header`,
      message: "header pinning cannot be expressed: Flagger's analysis.match sends only the matching requests through the canary, at the stepped weight (A/B testing), and every other request to the primary",
      fix: `set canary to null in this environment's overrides (test the canary with a delivery webhook instead), ${STATIC}`,
    });
  }
  if (service.traffic.fault) {
    issues.push({ path: `${at}.traffic.fault`, message: "Flagger's routes carry no fault injection", fix: `remove traffic.fault in this environment (resilience drills need static delivery with Istio routing), ${STATIC}` });
  }
  if (service.traffic.mirror) {
    issues.push({
      path: `${at}.traffic.mirror`,
      message: 'mirroring to another version cannot be expressed: progressive delivery runs one version, and Flagger mirrors only the primary\'s traffic to its own canary',
      fix: `remove traffic.mirror in this environment, ${STATIC} for a dark launch`,
    });
  }
  if (!platform.observability.prometheus) {
    issues.push({
      path: `${at}.delivery`,
      message: "Flagger's analysis reads the service's success rate and latency from Prometheus, and this environment names none",
      fix: `set observability.prometheus (e.g. {}), ${STATIC}`,
    });
  }
  issues.push(...stepIssues(delivery, `${at}.delivery`));
  const names = delivery.webhooks.map((w) => w.name);
  for (const name of names.filter((n, i) => names.indexOf(n) !== i)) {
    issues.push({ path: `${at}.delivery.webhooks.${name}`, message: `duplicate webhook name "${name}"`, fix: 'give each webhook a unique name' });
  }
  return issues;
}

/** Every issue of the services delivered progressively; empty when Flagger can run them as described. */
export function checkDeliveryRules(platform: Platform): ConfigIssue[] {
  return platform.services.flatMap((service) =>
    service.delivery.mode === 'progressive' ? serviceIssues(platform, service, service.delivery, `services.${service.name}`) : []);
}
