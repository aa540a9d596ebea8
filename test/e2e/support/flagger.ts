/**
 * Flagger on the e2e cluster: its CRDs (the committed bundle the bindings and the validator's schemas come from), the
 * controller built from its module (the toolchain's `flagger`) running out of cluster with the cluster's kubeconfig,
 * and what a user reads while a canary runs: the Canary's status and events, the route's weights, the primary's image.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../../src/images/services';
import { canaryServiceName, primaryName } from '../../../src/description/names/workloads';
import { FLAGGER } from '../../../src/versions';
import { getJson, kubeconfig, kubectl, waitForCrds } from './cluster';
import { eventually } from './eventually';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Applies Flagger's CRDs (imports/crds/flagger-<version>.yaml) and waits until they are established. */
export async function installFlaggerCrds(): Promise<void> {
  const file = join(REPOSITORY_ROOT, 'imports', 'crds', `flagger-${FLAGGER.version}.yaml`);
  await kubectl(['apply', '--server-side', '--field-manager=mesh-platform-e2e', '-f', '-'], readFileSync(file, 'utf8'));
  await waitForCrds(['crd/canaries.flagger.app', 'crd/metrictemplates.flagger.app'], 60);
}

/** The running controller. */
export interface RunningFlagger {
  readonly pid: number;
  /** What it logged so far. */
  output(): string;
  /** SIGTERM by pid, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `binary` against the e2e cluster, watching only `namespace` (other tests' Canaries, such as dev's applied by
 * manifests.test.ts, are left alone): `-mesh-provider` is the default a Canary's `spec.provider` overrides (the platform
 * always sets it), `-metrics-server` the Prometheus of the built-in checks (the platform's templates name their own).
 * Flagger's HTTP server (metrics, health) has no address flag: it listens on `port` of every interface.
 */
export function startFlagger(binary: string, options: { namespace: string; metricsServer: string; meshProvider: string; port: number }): RunningFlagger {
  const child: ChildProcess = spawn(binary, [
    `-kubeconfig=${kubeconfig()}`,
    `-namespace=${options.namespace}`,
    `-mesh-provider=${options.meshProvider}`,
    `-metrics-server=${options.metricsServer}`,
    `-port=${options.port}`,
    // Canaries are picked up and re-synced sooner than the default 10 s; analysis steps still follow each Canary's interval.
    '-control-loop-interval=3s',
    '-log-level=info',
    '-zap-encoding=console',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}

/** `promise`, its error with the controller's last lines added. */
export function withFlaggerLog<T>(flagger: RunningFlagger | undefined, promise: Promise<T>): Promise<T> {
  return promise.catch((error: Error) => {
    throw new Error(`${error.message}\nFlagger's last lines:\n${flagger?.output().split('\n').slice(-25).join('\n')}`);
  });
}

/** What a user saw of one canary run. */
export interface CanaryRun {
  /** The Canary's status at the end (`phase` Succeeded or Failed). */
  readonly status: Json;
  /** The canary's weight in the route each time it changed, from before the run to its end. */
  readonly canarySteps: number[];
}

/**
 * Follows the Canary of `service` from now until a canary run has progressed and ended (phase `Succeeded` or
 * `Failed`), within `seconds`, reading the route's weights at every poll.
 */
export async function followCanary(namespace: string, service: string, routing: 'istio' | 'gateway-api', seconds: number): Promise<CanaryRun> {
  const canarySteps: number[] = [];
  let progressing = false;
  const status = await eventually(async () => {
    const [current, weights] = await Promise.all([canaryStatus(namespace, service), routeWeights(namespace, service, routing)]);
    if (weights && canarySteps.at(-1) !== weights.canary) canarySteps.push(weights.canary);
    progressing ||= current.phase === 'Progressing';
    if (progressing && ['Succeeded', 'Failed'].includes(current.phase)) return current;
    throw new Error(`${namespace}: the canary run of ${service} did not finish within ${seconds} s; Canary status ${JSON.stringify(current)}`);
  }, seconds * 1000);
  return { status, canarySteps };
}

/** The traffic split of a service as its route says: percent to the primary and to the canary. */
export interface Weights {
  readonly primary: number;
  readonly canary: number;
}

/** The split in Flagger's VirtualService (Istio routing) or HTTPRoute (`gatewayapi:v1`) of `service`; undefined before it exists. */
export async function routeWeights(namespace: string, service: string, routing: 'istio' | 'gateway-api'): Promise<Weights | undefined> {
  const kind = routing === 'istio' ? 'virtualservices.networking.istio.io' : 'httproutes.gateway.networking.k8s.io';
  const found = await getJson<Json>(['get', kind, '-n', namespace, '--field-selector', `metadata.name=${service}`]);
  const route = found.items[0];
  if (!route) return undefined;
  // The default route is the last one (analysis.match routes, when set, come first).
  const targets: Json[] = routing === 'istio'
    ? route.spec.http.at(-1).route.map((r: Json) => ({ name: r.destination.host, weight: r.weight }))
    : route.spec.rules.at(-1).backendRefs;
  const weightOf = (name: string) => targets.find((t) => t.name === name || t.name.startsWith(`${name}.`))?.weight ?? 0;
  return { primary: weightOf(primaryName(service)), canary: weightOf(canaryServiceName(service)) };
}

/** The Canary's status. */
export async function canaryStatus(namespace: string, name: string): Promise<Json> {
  return (await getJson<Json>(['get', 'canaries.flagger.app', '-n', namespace, name])).status ?? {};
}

/** The messages of the Canary's events last seen at or after `since`, oldest first. */
export async function canaryEvents(namespace: string, name: string, since: Date): Promise<string[]> {
  const events = await getJson<Json>(['get', 'events', '-n', namespace, '--field-selector', `involvedObject.kind=Canary,involvedObject.name=${name}`]);
  const seen = (event: Json) => new Date(event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp).getTime();
  // Event times have second precision.
  return events.items.filter((event: Json) => seen(event) >= since.getTime() - 1000)
    .sort((a: Json, b: Json) => seen(a) - seen(b)).map((event: Json) => event.message as string);
}

/** The image of the first container of a Deployment. */
export async function deploymentImage(namespace: string, name: string): Promise<string> {
  return (await getJson<Json>(['get', 'deployment', '-n', namespace, name])).spec.template.spec.containers[0].image;
}
