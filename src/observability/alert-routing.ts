/**
 * An AlertmanagerConfig per environment: the platform's alerts (from its namespace; the Operator adds that matcher)
 * grouped by alert, service and version, pages repeated often and tickets seldom, both to one webhook receiver whose
 * URL is a Secret the Pulumi program creates from secret config (src/deploy/alert-webhook-secret.ts): never in the output.
 */
import { Construct } from 'constructs';
import { AlertmanagerConfig, AlertmanagerConfigSpecRouteMatchersMatchType } from '../../imports/monitoring.coreos.com';
import { ALERT_WEBHOOK_URL_KEY, alertWebhookSecretName } from '../description/names/observability';
import { platformLabels } from '../description/names/labels';
import type { PlatformSpec } from '../description/types';
import type { Severity } from './burn-rates';

/** The receiver every route sends to. */
export const WEBHOOK_RECEIVER = 'platform-webhook';

/** Props of {@link AlertRouting}. */
export interface AlertRoutingProps {
  /** The resolved platform of one environment. */
  readonly platform: PlatformSpec;
  /** Its alert routing: `platform.observability.alerting`, known to be set. */
  readonly alerting: NonNullable<PlatformSpec['observability']['alerting']>;
}

/** The AlertmanagerConfig `<platform>-alerts`. */
export class AlertRouting extends Construct {
  constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    const { platform, alerting } = props;
    const repeat: Record<Severity, string> = { page: alerting.pageRepeatInterval, ticket: alerting.ticketRepeatInterval };
    new AlertmanagerConfig(this, 'Config', {
      metadata: { name: `${platform.name}-alerts`, namespace: platform.namespace, labels: { ...platformLabels(platform), ...alerting.configLabels } },
      spec: {
        route: {
          receiver: WEBHOOK_RECEIVER,
          groupBy: ['alertname', 'service', 'version'],
          groupWait: alerting.groupWait,
          routes: (Object.keys(repeat) as Severity[]).map((severity) => ({
            receiver: WEBHOOK_RECEIVER,
            matchers: [{ name: 'severity', value: severity, matchType: AlertmanagerConfigSpecRouteMatchersMatchType.VALUE_EQUALS }],
            repeatInterval: repeat[severity],
          })),
        },
        receivers: [{
          name: WEBHOOK_RECEIVER,
          webhookConfigs: [{ urlSecret: { name: alertWebhookSecretName(platform), key: ALERT_WEBHOOK_URL_KEY }, sendResolved: true }],
        }],
      },
    });
  }
}
