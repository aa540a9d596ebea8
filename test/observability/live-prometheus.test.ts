/**
 * A real Prometheus scrapes the real services (processes on loopback, order-service and payment-service on a real
 * PostgreSQL) with the scrape configs the Prometheus Operator would make of dev's generated PodMonitors, loads dev's
 * generated rules and sends alerts to a real Alertmanager configured from the generated AlertmanagerConfig. A process
 * stands in for every Deployment of the cluster view: the generated ones and, for dev's progressive order-service,
 * the primary Flagger copies from it (`order-service-primary`, its pods' `app` rewritten), so order-service runs as
 * primary and canary the way Flagger runs it. Then: every generated expression is live (docs/observability.md, "What
 * the tests prove"), a typo'd one is reported by name, and order-service's canary, whose every order fails with a
 * 503, pages through Alertmanager to a webhook receiver this test runs.
 */
import { synthesizePlatform } from '../../src/platform';
import { REQUEST_LABELS, REQUESTS_TOTAL } from '../../services/kit/metric-vocabulary';
import { queryTarget, RECORDED, SERVER_ERROR, seriesSelector } from '../../src/observability/queries';
import { renderRulesFile } from '../../src/observability/rules-file';
import { durationSeconds } from '../../src/observability/burn-rates';
import { ALERT_FOR } from '../../src/observability/slo-rules';
import { type TestPostgres, sharedPostgres } from '../support/postgres';
import { freePort } from '../support/ports';
import { progressiveDeploymentName } from '../../src/description/names/workloads';
import { TEST_IMAGES, clusterView, ofKind, type KubeObject } from '../support/platform';
import { describeWithTools } from '../support/tools';
import { type RunningService, postJson, startReadyService } from '../services/helpers/process';
import { alertmanagerYaml } from './support/alertmanager-config';
import { deadQueryProblems, type NamedQuery } from './support/live-queries';
import { platformQueries } from './support/platform-queries';
import {
  type RunningServer, type WebhookReceiver, instantQuery, startAlertmanager, startPrometheus, startWebhookReceiver,
} from './support/processes';
import { type DiscoveredPod, podMonitorScrapeConfigs } from './support/scrape-config';

const { spec, objects } = synthesizePlatform('dev', { images: TEST_IMAGES });
/** The service of a Deployment's pods, and its pod labels (`app`, `version`, …). */
const podLabels = (deployment: KubeObject): Record<string, string> => deployment.spec.template.metadata.labels;
const serviceOf = (deployment: KubeObject) => podLabels(deployment)['app.kubernetes.io/name'];
/** The services' Deployments in the cluster: the generated ones and what Flagger creates for a Canary (its primary). */
const DEPLOYMENTS = ofKind(clusterView(objects), 'Deployment').filter((d) => spec.services.some((s) => s.name === serviceOf(d)));
/**
 * The Deployment this test breaks (its user-service URL points at a closed port, so every order answers 503): dev's
 * order-service is progressive, so its canary, the Deployment Flagger targets; its primary stays healthy.
 */
const FAILING_DEPLOYMENT = DEPLOYMENTS.find((d) => d.metadata.name === progressiveDeploymentName('order-service'))!;
const FAILING = { service: serviceOf(FAILING_DEPLOYMENT), version: podLabels(FAILING_DEPLOYMENT).version };
/** user-service answers no 5xx to any request: its 5xx selectors are checked for their label names only (below). */
const WITHOUT_5XX = 'user-service';

/**
 * The selector to check instead of one this traffic cannot make live: user-service's 5xx (`status_code=~"5.."`
 * becomes `status_code=~".+"`, so the label name is still checked) and its recorded error ratios and 5xx rate (the
 * request rate recorded by the same group for the same window stands in, so the group is still proven to run).
 */
function substitute(selector: string): string | undefined {
  if (!selector.includes(`${REQUEST_LABELS.service}="${WITHOUT_5XX}"`)) return undefined;
  const window = /rate(\w+)\{/.exec(selector)?.[1];
  const recordedErrors = window && [RECORDED.errorRatio(window), RECORDED.errorRate(window)].find((name) => selector.startsWith(`${name}{`));
  if (recordedErrors) return selector.replace(recordedErrors, RECORDED.requestRate(window));
  return selector.includes(`${REQUEST_LABELS.statusCode}=~"5.."`) ? selector.replace(`${REQUEST_LABELS.statusCode}=~"5.."`, `${REQUEST_LABELS.statusCode}=~".+"`) : undefined;
}

/** The Deployments of one service. */
const deploymentsOf = (service: string) => DEPLOYMENTS.filter((d) => serviceOf(d) === service);

/** The one Deployment of a service this test runs once (user-service, payment-service). */
function only(service: string): KubeObject {
  const [deployment, ...more] = deploymentsOf(service);
  if (!deployment || more.length > 0) throw new Error(`${service}: expected one Deployment, got ${deploymentsOf(service).length}: adapt this test`);
  return deployment;
}

/** Which process runs each Deployment, and with which variables beyond its own SERVICE_VERSION. */
async function startPods(postgres: TestPostgres): Promise<Map<string, RunningService>> {
  const envOf = (deployment: KubeObject) => Object.fromEntries((deployment.spec.template.spec.containers[0].env as KubeObject[])
    .filter((e) => e.name === 'SERVICE_VERSION').map((e) => [e.name, e.value]));
  const pods = new Map<string, RunningService>();
  const closedPort = await freePort();
  const users = only('user-service');
  const payments = only('payment-service');
  pods.set(users.metadata.name, await startReadyService('user-service', envOf(users)));
  pods.set(payments.metadata.name, await startReadyService('payment-service', {
    ...envOf(payments), DATABASE_URL: await postgres.createDatabase('payments'), FAILURE_RATE: '0.02',
  }));
  const orders = await postgres.createDatabase('orders');
  for (const deployment of deploymentsOf('order-service')) {
    const usersUrl = deployment === FAILING_DEPLOYMENT ? `http://127.0.0.1:${closedPort}` : pods.get(users.metadata.name)!.url;
    pods.set(deployment.metadata.name, await startReadyService('order-service', {
      ...envOf(deployment), DATABASE_URL: orders, USER_SERVICE_URL: usersUrl,
      PAYMENT_SERVICE_URL: pods.get(payments.metadata.name)!.url, UPSTREAM_TIMEOUT_MS: '1500',
    }));
  }
  const missing = DEPLOYMENTS.map((d) => d.metadata.name).filter((name) => !pods.has(name));
  if (missing.length > 0) throw new Error(`no process runs the Deployments ${missing.join(', ')}: add them here`);
  return pods;
}

/** The pods discovery would offer: the generated Deployments' pod labels and ports, at the processes' addresses. */
function discoveredPods(pods: Map<string, RunningService>): DiscoveredPod[] {
  return [...pods].map(([name, service]) => {
    const deployment = DEPLOYMENTS.find((d) => d.metadata.name === name)!;
    const template = deployment.spec.template;
    return {
      namespace: deployment.metadata.namespace,
      name: `${name}-0`,
      labels: template.metadata.labels,
      containers: template.spec.containers,
      address: () => new URL(service.url).host,
    };
  });
}

/** One round of traffic: successes, 4xx (unknown ids, a malformed order) and 5xx (the failing canary, payment failures). */
async function trafficRound(pods: Map<string, RunningService>, round: number): Promise<void> {
  const users = pods.get(only('user-service').metadata.name)!.url;
  const user = await postJson(`${users}/register`, { name: 'Ann', email: `ann${round}@example.com` });
  await fetch(`${users}/users/unknown`);
  await fetch(`${pods.get(only('payment-service').metadata.name)!.url}/payments/unknown`);
  for (const deployment of deploymentsOf('order-service')) {
    const url = pods.get(deployment.metadata.name)!.url;
    await postJson(`${url}/orders`, { userId: user.body.id, items: [{ sku: 'book', quantity: 1, price: 5 }], currency: 'EUR' });
    await postJson(`${url}/orders`, { userId: 'u', items: [{ sku: 'a', quantity: 1, price: 'x' }] });
    await fetch(`${url}/orders/unknown`);
  }
}

jest.setTimeout(300_000);

describeWithTools(['prometheus'], 'a real Prometheus scraping the real services with dev\'s generated monitors and rules', (tools) => {
  let postgres: TestPostgres;
  let pods = new Map<string, RunningService>();
  /** Where Alertmanager listens once the test below starts it: Prometheus sends there from the start. */
  let alertmanagerPort: number;
  let prometheus: RunningServer;
  let traffic: Promise<void> = Promise.resolve();
  let stopTraffic = false;

  beforeAll(async () => {
    postgres = await sharedPostgres();
    pods = await startPods(postgres);
    alertmanagerPort = await freePort();
    const discovered = discoveredPods(pods);
    prometheus = await startPrometheus(tools.prometheus, {
      // One-second scrapes and evaluations, so the rules' inputs exist within seconds; the rules themselves are dev's.
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ['rules.yml'],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${alertmanagerPort}`] }] }] },
      scrape_configs: ofKind(objects, 'PodMonitor').flatMap((monitor) => podMonitorScrapeConfigs(monitor, discovered)),
    }, { 'rules.yml': renderRulesFile(spec) });
    // Under two rounds a second: every series the queries read gets samples, and the alerts read ratios, not volumes; more
    // traffic only takes CPU from the test files running beside this one. Bounded: about ten minutes of rounds at most;
    // afterAll ends it sooner.
    traffic = (async () => {
      for (let round = 0; round < 1000 && !stopTraffic; round++) {
        await trafficRound(pods, round);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
  }, 120_000);

  afterAll(async () => {
    stopTraffic = true;
    await traffic.catch(() => undefined);
    await prometheus?.stop();
    await Promise.all([...pods.values()].map((pod) => pod.stop()));
    await postgres?.stop();
  });

  const query = (expr: string) => instantQuery(prometheus, expr);
  /**
   * Waits (bounded) until scrapes and rule evaluations have happened: every version's request rate is recorded, every
   * workload (Flagger's primary and canary too) has answered requests, and every service but user-service has answered
   * a 5xx (payment-service's are random, 2% of charges).
   */
  const recorded = async () => {
    const apps = [...new Set(DEPLOYMENTS.map((d) => podLabels(d).app))];
    const versions = spec.services.flatMap((s) => s.versions.map((v) => `${s.name}/${v.name}`));
    // The 5xx the generated queries count: not a probe's (a /readyz 503 while a service starts is no answer to a caller).
    const serverErrors = spec.services.filter((s) => s.name !== WITHOUT_5XX)
      .map((service) => seriesSelector(REQUESTS_TOTAL, queryTarget(spec, service), [SERVER_ERROR]));
    for (let attempt = 0; attempt < 180; attempt++) {
      const rates = await query(`${RECORDED.requestRate('5m')}{namespace="${spec.namespace}"}`);
      const errors = await Promise.all(serverErrors.map(async (selector) => (await query(selector)).length > 0));
      const answered = await query(`count by (app) (${REQUESTS_TOTAL}{namespace="${spec.namespace}"})`);
      if (versions.every((v) => rates.some((s) => `${s.metric.service}/${s.metric.version}` === v)) && errors.every(Boolean)
        && apps.every((app) => answered.some((s) => s.metric.app === app))) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`not every version's request rate and 5xx were recorded within 3 minutes:\n${prometheus.output().slice(-3000)}`);
  };

  describeWithTools(['alertmanager'], 'with a real Alertmanager configured from the generated AlertmanagerConfig', (alerting) => {
    let webhook: WebhookReceiver;
    let alertmanager: RunningServer;
    beforeAll(async () => {
      webhook = await startWebhookReceiver();
      const config = alertmanagerYaml(ofKind(objects, 'AlertmanagerConfig')[0], webhook.url);
      alertmanager = await startAlertmanager(alerting.alertmanager, config, alertmanagerPort);
    });
    afterAll(async () => {
      await alertmanager?.stop();
      await webhook?.close();
    });

    // Declared before the other tests, so that Alertmanager runs from their start and receives the page as soon as it
    // fires (Prometheus would otherwise resend it only a minute later); the other tests find it firing.
    it(`pages for ${FAILING.service} ${FAILING.version} through Alertmanager to the webhook, labelled severity, service, version, environment`, async () => {
      // The wait below (4 minutes) covers the page's `for`, Prometheus' resend and Alertmanager's group_wait.
      expect(durationSeconds(ALERT_FOR.page) + 60 + durationSeconds(spec.observability.alerting!.groupWait)).toBeLessThan(240);
      await recorded();
      const page = (body: Record<string, unknown>) => (body.alerts as { status: string; labels: Record<string, string> }[])
        .find((alert) => alert.status === 'firing' && alert.labels.alertname === 'ErrorBudgetBurn' && alert.labels.severity === 'page'
          && alert.labels.service === FAILING.service && alert.labels.version === FAILING.version);
      const deadline = Date.now() + 240_000;
      while (!webhook.received.some(page) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1000));
      const delivered = webhook.received.map(page).find((alert) => alert !== undefined);
      expect({ delivered: delivered?.labels, alertmanager: delivered ? '' : alertmanager.output().slice(-2000) }).toEqual({
        delivered: expect.objectContaining({ severity: 'page', service: FAILING.service, version: FAILING.version, environment: 'dev', namespace: spec.namespace }),
        alertmanager: '',
      });
      // The healthy services do not page.
      const healthy = webhook.received.flatMap((body) => body.alerts as { labels: Record<string, string> }[])
        .filter((alert) => alert.labels.service !== FAILING.service && alert.labels.severity === 'page');
      expect(healthy).toEqual([]);
    }, 300_000);
  });

  it('scrapes every workload (Flagger\'s primary too) with the labels the Operator gives a PodMonitor\'s targets, the app\'s service and version kept', async () => {
    await recorded();
    const up = await query(`up{namespace="${spec.namespace}"}`);
    const targets = up.map((s) => `${s.metric.job} app=${s.metric.app} version=${s.metric.version} pod=${s.metric.pod} up=${s.value[1]}`);
    expect(targets.sort()).toEqual(DEPLOYMENTS.map((d) =>
      `${spec.namespace}/${serviceOf(d)} app=${podLabels(d).app} version=${podLabels(d).version} pod=${d.metadata.name}-0 up=1`).sort());
    expect(up.some((s) => s.metric.app === 'order-service-primary')).toBe(true);
    // The app's service/version and its pod's labels agree on every series (the `app` Flagger rewrote on the primary's
    // pods included), and no label was pushed aside (`exported_version` would mean the target's labels and the
    // app's clashed without honorLabels).
    const requests = await query(`http_requests_total{namespace="${spec.namespace}"}`);
    const podOf = (pod: string) => podLabels(DEPLOYMENTS.find((d) => `${d.metadata.name}-0` === pod)!);
    const disagreeing = requests.map((s) => s.metric).filter((m) => m.service !== podOf(m.pod)['app.kubernetes.io/name']
      || m.app !== podOf(m.pod).app || m.version !== podOf(m.pod).version || Object.keys(m).some((l) => l.startsWith('exported_')));
    expect(requests.length).toBeGreaterThan(0);
    expect(disagreeing).toEqual([]);
  });

  it('runs every generated expression (recording rules, alerts, dashboard panels, KEDA triggers): each selector and each result is live', async () => {
    await recorded();
    const all = platformQueries(spec, objects).map((q): NamedQuery =>
      // user-service's recorded error ratios and 5xx rate have no series while it answers no 5xx (substitute() covers its selectors).
      q.name.startsWith(`rule group ${WITHOUT_5XX}.`) && q.name.includes('_errors:') ? { ...q, mustReturnData: false } : q);
    // kube-state-metrics' series (replicas, the autoscaler's bounds) need a cluster: those panels only are left out.
    const needCluster = all.filter((q) => /\bkube_\w+\{/.test(q.expr));
    expect(new Set(needCluster.map((q) => q.name.replace(/^dashboard [\w-]+, panel (.*), query \w+$/, '$1')))).toEqual(new Set(['Replicas and autoscaler bounds']));
    const queries = all.filter((q) => !needCluster.includes(q));
    for (const source of ['rule group', 'dashboard', 'ScaledObject', 'Canary']) expect(queries.filter((q) => q.name.startsWith(source)).length).toBeGreaterThan(0);
    // A series that appeared just now (payment-service's first random 5xx) reaches the recorded ratios one or two
    // evaluations later, later still on a loaded machine: ask again for a while; a dead query stays dead.
    let problems = await deadQueryProblems(queries, query, substitute);
    for (const deadline = Date.now() + 60_000; problems.length > 0 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      problems = await deadQueryProblems(queries, query, substitute);
    }
    expect(problems).toEqual([]);
  });

  it('reports a renamed metric and a label typo by the rule that holds them', async () => {
    await recorded();
    const [rule] = platformQueries(spec, objects).filter((q) => q.name.includes('_errors:ratio_rate5m') && q.name.startsWith('rule group order-service.'));
    const typos = [
      { ...rule, name: `${rule.name} (status)`, expr: rule.expr.replaceAll('status_code=~', 'status=~') },
      { ...rule, name: `${rule.name} (renamed)`, expr: rule.expr.replaceAll('http_requests_total{', 'http_request_total{') },
    ];
    const problems = await deadQueryProblems(typos, query);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^rule group order-service\.recording, record service_version:http_requests_total_errors:ratio_rate5m(?: \{.*\})? \(status\): selector http_requests_total\{.*status=~"5\.\."\} matches no live series$/),
      expect.stringMatching(/^rule group order-service\.recording, record .* \(renamed\): selector http_request_total\{.*\} matches no live series$/),
      `${rule.name} (status): returns no data`,
    ]));
  });

  // The page's real `for` (2m) and windows: the failing version's error ratio is above 14.4x the budget over both the
  // 1h and 5m windows from its first scrapes (rate() needs only two samples in a window), so no shortened copy of the
  // rules is needed.
  it(`fires the page for ${FAILING.service} ${FAILING.version} only, after the rule's own \`for\``, async () => {
    expect(durationSeconds(ALERT_FOR.page)).toBeLessThan(180);
    await recorded();
    const pages = () => query('ALERTS{alertname="ErrorBudgetBurn",severity="page",alertstate="firing"}');
    let firing = await pages();
    for (let attempt = 0; attempt < 200 && firing.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      firing = await pages();
    }
    expect(firing.map((s) => `${s.metric.service}/${s.metric.version} ${s.metric.environment}`)).toEqual([`${FAILING.service}/${FAILING.version} dev`]);
  }, 240_000);
});
