/**
 * The Secret holding the Alertmanager webhook URL the environment's AlertmanagerConfig references
 * (src/observability/alert-routing.ts), made from the secret stack config `alertWebhookUrl`: never in the synthesized
 * output, and a Pulumi secret in the state. Outside production a missing URL leaves the Secret out (the Operator then
 * rejects the AlertmanagerConfig and nothing is routed); production requires it.
 */
import * as pulumi from '@pulumi/pulumi';
import { ALERT_WEBHOOK_URL_KEY, alertWebhookSecretName } from '../description/names/observability';
import { platformLabels } from '../description/names/labels';
import type { PlatformSpec } from '../description/types';
import { configProblem } from './config';
import type { KubernetesObject } from './kubernetes-object';

/** What the Secret depends on in the spec. */
type AlertSpec = Pick<PlatformSpec, 'name' | 'namespace' | 'production' | 'observability'>;

/**
 * The problems of the `alertWebhookUrl` config (whether it is set is known without resolving it), checked before
 * anything is registered: set for an environment that routes no alerts, or missing in production.
 */
export function alertWebhookUrlProblems(spec: AlertSpec, url: pulumi.Output<string> | undefined): string[] {
  if (!spec.observability.alerting && url !== undefined) {
    return [configProblem('alertWebhookUrl', 'is set, but the environment routes no alerts (observability.alerting); remove it or set observability.alerting')];
  }
  if (spec.observability.alerting && spec.production && url === undefined) {
    return [configProblem('alertWebhookUrl', 'is required: the production environment routes its alerts to this webhook')];
  }
  return [];
}

/** The Secret to apply, or none (no alert routing, or no URL outside production: see {@link alertWebhookUrlProblems}). */
export function alertWebhookSecretObjects(spec: AlertSpec, url: pulumi.Output<string> | undefined): KubernetesObject[] {
  if (!spec.observability.alerting || url === undefined) return [];
  return [{
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: alertWebhookSecretName(spec), namespace: spec.namespace, labels: platformLabels(spec) },
    type: 'Opaque',
    stringData: pulumi.secret(url.apply((value) => ({ [ALERT_WEBHOOK_URL_KEY]: value }))),
  }];
}
