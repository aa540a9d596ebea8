/**
 * The Alertmanager configuration the Prometheus Operator builds from a generated AlertmanagerConfig (its
 * pkg/alertmanager/amcfg.go): a root route to the `null` receiver of the Operator's default base configuration, and
 * under it the AlertmanagerConfig's route with `namespace="<its namespace>"` added to its matchers and `continue: true`,
 * every receiver name prefixed `<namespace>/<name>/`. The webhook URL, a Secret reference in the generated object, is
 * the caller's (a test's loopback receiver): never a real secret.
 */
import type { KubeObject } from '../../support/platform';

/** A route in Alertmanager's spelling, receivers prefixed, child routes converted too. */
function route(input: KubeObject, prefix: string): KubeObject {
  return {
    receiver: `${prefix}${input.receiver}`,
    ...(input.groupBy ? { group_by: input.groupBy } : {}),
    ...(input.groupWait ? { group_wait: input.groupWait } : {}),
    ...(input.groupInterval ? { group_interval: input.groupInterval } : {}),
    ...(input.repeatInterval ? { repeat_interval: input.repeatInterval } : {}),
    ...(input.matchers ? { matchers: (input.matchers as KubeObject[]).map((m) => `${m.name}${m.matchType ?? '='}${JSON.stringify(m.value)}`) } : {}),
    ...(input.routes ? { routes: (input.routes as KubeObject[]).map((child) => route(child, prefix)) } : {}),
    ...(input.continue ? { continue: true } : {}),
  };
}

/**
 * alertmanager.yml for one AlertmanagerConfig.
 * @param webhookUrl the URL every webhook receiver posts to (stands for the Secret the object references)
 */
export function alertmanagerYaml(config: KubeObject, webhookUrl: string): KubeObject {
  const { namespace, name } = config.metadata;
  const prefix = `${namespace}/${name}/`;
  const top = route(config.spec.route, prefix);
  return {
    route: {
      receiver: 'null',
      routes: [{ ...top, matchers: [...(top.matchers ?? []), `namespace=${JSON.stringify(namespace)}`], continue: true }],
    },
    receivers: [
      { name: 'null' },
      ...(config.spec.receivers as KubeObject[]).map((receiver) => ({
        name: `${prefix}${receiver.name}`,
        webhook_configs: (receiver.webhookConfigs as KubeObject[] ?? []).map((webhook) => ({
          url: webhookUrl,
          send_resolved: webhook.sendResolved ?? true,
        })),
      })),
    ],
  };
}
