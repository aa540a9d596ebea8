/**
 * The Secret holding the Alertmanager webhook URL the environment's AlertmanagerConfig references
 * (src/observability/alert-routing.ts), made from the secret stack config `alertWebhookUrl`: never in the synthesized
 * output, and a Pulumi secret in the state. Outside production a missing URL leaves the Secret out (Alertmanager then
 * rejects the config and routes nothing); production requires it.
 */
import * as pulumi from '@pulumi/pulumi';
import { ALERT_WEBHOOK_URL_KEY, alertWebhookSecretName, platformLabels } from '../spec/names';
import type { PlatformSpec } from '../spec/types';
import { configProblem, DeployConfigError } from './config';
import type { KubernetesObject } from './kubernetes-object';

/** The Secret to apply, or none; throws naming the fix when production routes alerts without a URL. */
export function alertWebhookSecretObjects(
  spec: Pick<PlatformSpec, 'name' | 'namespace' | 'production' | 'observability'>,
  url: pulumi.Output<string> | undefined,
): KubernetesObject[] {
  if (!spec.observability.alerting) {
    if (url !== undefined) throw new DeployConfigError([configProblem('alertWebhookUrl', 'is set, but the environment routes no alerts (observability.alerting); remove it or set observability.alerting')]);
    return [];
  }
  if (url === undefined) {
    if (spec.production) throw new DeployConfigError([configProblem('alertWebhookUrl', 'is required: the production environment routes its alerts to this webhook')]);
    return [];
  }
  return [{
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: alertWebhookSecretName(spec), namespace: spec.namespace, labels: platformLabels(spec) },
    type: 'Opaque',
    stringData: pulumi.secret(url.apply((value) => ({ [ALERT_WEBHOOK_URL_KEY]: value }))),
  }];
}
