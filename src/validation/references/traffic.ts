import { type Context, DEFAULT_INGRESS_GATEWAY } from '../context';
import { type Entry, formatLabels, type PodTemplate, selects } from '../inventory';
import { at, type Json, num, record, records, str, strings, stringMap } from '../shapes';
import { destinationRulesByTarget, type HostTarget, resolveHost, targetKey } from './hosts';
import { describeExportTo, isVisibleIn } from './visibility';

/** A destination of a VirtualService route or mirror. */
interface Destination {
  readonly path: string;
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
}

/** A list of weighted destinations (one `route` of an http, tcp or tls rule). */
interface WeightedRoute {
  readonly path: string;
  readonly weights: (number | undefined)[];
}

/** Checks VirtualServices, DestinationRules and Gateways against each other and against Services. */
export function checkTraffic(context: Context): void {
  const rules = destinationRulesByTarget(context);
  for (const entry of context.inventory.allOfKind('VirtualService')) {
    const namespace = entry.effectiveNamespace ?? 'default';
    const spec = record(entry.object.spec);
    const { destinations, routes } = routingOf(spec);
    for (const destination of destinations) {
      const target = resolveHost(context, destination.host, namespace);
      checkHost(context, entry, at(destination.path, 'host'), destination.host, target);
      checkPort(context, entry, destination, target);
      // An unresolved host is reported once, not again for each subset it would need; but when the input has the host's
      // DestinationRule (a routing-only file), its subsets are known and a route to another one is a mistake of its own.
      const unresolved = (target.type === 'service' && !target.entry) || target.type === 'external';
      if (destination.subset !== undefined && (!unresolved || rules.has(targetKey(target)))) {
        const forTarget = rules.get(targetKey(target)) ?? [];
        const defined = forTarget.filter((rule) => isVisibleIn(rule.entry, namespace)).flatMap((rule) => rule.subsets);
        const hiddenBy = forTarget.find((rule) => !isVisibleIn(rule.entry, namespace) && rule.subsets.includes(destination.subset ?? ''));
        if (hiddenBy && !defined.includes(destination.subset)) {
          context.report(entry, 'ref-unknown-subset', at(destination.path, 'subset'),
            `subset "${destination.subset}" is defined by DestinationRule ${hiddenBy.entry.effectiveNamespace}/${hiddenBy.entry.name}, which is not exported to namespace ${namespace} (${describeExportTo(hiddenBy.entry)})`,
            { hint: 'export the DestinationRule to this namespace (exportTo), or define the subset in a DestinationRule visible here' });
        } else if (!defined.includes(destination.subset)) {
          context.report(entry, 'ref-unknown-subset', at(destination.path, 'subset'), defined.length > 0
            ? `subset "${destination.subset}" is not defined by any DestinationRule for host ${destination.host} (defined: ${defined.join(', ')})`
            : `subset "${destination.subset}" is used but no DestinationRule defines subsets for host ${destination.host}`);
        }
      }
    }
    for (const route of routes) checkWeights(context, entry, route);
    checkGateways(context, entry, spec, namespace);
  }
  for (const entry of context.inventory.allOfKind('DestinationRule')) checkDestinationRule(context, entry);
  let gatewayWorkloads: PodTemplate[] | undefined;
  const gatewayWorkloadsOnce = (): PodTemplate[] => (gatewayWorkloads ??= context.inventory.allTemplates().filter(isGatewayWorkload));
  for (const entry of context.inventory.allOfKind('Gateway')) if (entry.group === 'networking.istio.io') checkGatewaySelector(context, entry, gatewayWorkloadsOnce);
}

function routingOf(spec: Json): { destinations: Destination[]; routes: WeightedRoute[] } {
  const destinations: Destination[] = [];
  const routes: WeightedRoute[] = [];
  const destinationAt = (value: unknown, path: string): void => {
    const destination = record(value);
    const host = str(destination.host);
    if (host) destinations.push({ path, host, subset: str(destination.subset), port: num(record(destination.port).number) });
  };
  for (const protocol of ['http', 'tcp', 'tls']) {
    records(spec[protocol]).forEach((rule, i) => {
      const routePath = at('spec', protocol, i, 'route');
      const route = records(rule.route);
      route.forEach((weighted, j) => destinationAt(weighted.destination, at(routePath, j, 'destination')));
      // A weight of the wrong type is a schema error; adding it up would report the same mistake twice.
      const wellTyped = route.every((weighted) => weighted.weight === undefined || typeof weighted.weight === 'number');
      if (route.length > 0 && wellTyped) routes.push({ path: routePath, weights: route.map((weighted) => num(weighted.weight)) });
      if (rule.mirror !== undefined) destinationAt(rule.mirror, at('spec', protocol, i, 'mirror'));
      records(rule.mirrors).forEach((mirror, j) => destinationAt(mirror.destination, at('spec', protocol, i, 'mirrors', j, 'destination')));
    });
  }
  return { destinations, routes };
}

/**
 * Reports a host that resolves to nothing: a missing Service is an error, an undeclared external name a warning, and so is
 * a Service of a namespace whose Services are all outside the input (a routing-only file).
 */
function checkHost(context: Context, entry: Entry, path: string, host: string, target: HostTarget): void {
  if ((target.type === 'service' || target.type === 'external') && target.hidden) {
    context.report(entry, 'ref-unknown-host', path,
      `host "${host}" is not visible in namespace ${entry.effectiveNamespace}: ${target.hidden}`,
      { hint: 'export the Service or ServiceEntry to this namespace (exportTo, or the networking.istio.io/exportTo annotation of a Service)' });
  } else if (target.type === 'service' && !target.entry && !context.options.strict && context.inventory.ofKind('Service', target.namespace).length === 0) {
    // A routing-only file (VirtualService and DestinationRule) is applied beside the Deployments and Services of another;
    // strict mode judges the input alone, as istioctl analyze does (IST0101).
    context.report(entry, 'ref-unknown-host', path,
      `host "${host}" is not checked: the input holds no Service of namespace ${target.namespace} (the Services are elsewhere, not in the input)`,
      { severity: 'warning', hint: `validate this file together with the manifests of namespace ${target.namespace}'s Services to check its hosts` });
  } else if (target.type === 'service' && !target.entry) {
    const known = context.inventory.ofKind('Service', target.namespace).map((service) => service.name);
    context.report(entry, 'ref-unknown-host', path,
      `host "${host}" does not resolve to a Service: no Service "${target.name}" in namespace ${target.namespace}${known.length ? ` (Services: ${known.join(', ')})` : ''}`);
  } else if (target.type === 'external') {
    context.report(entry, 'ref-unknown-host', path,
      `host "${host}" is neither a Service of the input nor declared by a ServiceEntry; Istio routes to it only with a ServiceEntry`,
      { severity: 'warning', hint: 'add a ServiceEntry for the external host, or fix the host name' });
  }
}

function checkPort(context: Context, entry: Entry, destination: Destination, target: HostTarget): void {
  if (destination.port === undefined || target.type !== 'service' || !target.entry) return;
  const ports = records(record(target.entry.object.spec).ports).flatMap((port) => num(port.port) ?? []);
  if (!ports.includes(destination.port)) {
    context.report(entry, 'ref-destination-port', at(destination.path, 'port', 'number'),
      `port ${destination.port} is not a port of Service ${target.namespace}/${target.name} (ports: ${ports.join(', ') || 'none'})`);
  }
}

function checkWeights(context: Context, entry: Entry, route: WeightedRoute): void {
  const { weights } = route;
  if (weights.length === 1 && weights[0] === undefined) return;
  const total = weights.reduce<number>((sum, weight) => sum + (weight ?? 0), 0);
  if (total !== 100) {
    context.report(entry, 'ref-route-weights', route.path,
      `weights must add up to 100 (got ${weights.map((weight) => weight ?? 0).join(' + ')} = ${total})`);
  }
}

function checkGateways(context: Context, entry: Entry, spec: Json, namespace: string): void {
  const references: { path: string; name: string }[] = strings(spec.gateways).map((name, i) => ({ path: at('spec.gateways', i), name }));
  records(spec.http).forEach((rule, i) => records(rule.match).forEach((match, j) => strings(match.gateways)
    .forEach((name, k) => references.push({ path: at('spec.http', i, 'match', j, 'gateways', k), name }))));
  for (const { path, name } of references) {
    if (name === 'mesh') continue;
    const [gatewayNamespace, gatewayName] = name.includes('/') ? name.split('/', 2) : [namespace, name];
    if (!isVisibleIn(entry, gatewayNamespace)) {
      context.report(entry, 'ref-unknown-gateway', path,
        `gateway "${name}" is in namespace ${gatewayNamespace}, to which this VirtualService is not exported (${describeExportTo(entry)}): the gateway ignores it`,
        { hint: `add ${gatewayNamespace} (or "*") to spec.exportTo` });
      continue;
    }
    const istioGateway = context.inventory.ofKind('Gateway', gatewayNamespace).some((g) => g.name === gatewayName && g.group === 'networking.istio.io');
    if (context.isExternalNamespace(gatewayNamespace) || istioGateway) continue;
    const known = context.inventory.allOfKind('Gateway').filter((g) => g.group === 'networking.istio.io').map((gateway) => `${gateway.effectiveNamespace}/${gateway.name}`);
    context.report(entry, 'ref-unknown-gateway', path,
      `gateway "${name}" not found: no Gateway "${gatewayName}" in namespace ${gatewayNamespace}${known.length ? ` (Gateways: ${known.join(', ')})` : ''}`);
  }
}

/** Endpoint labels Istio sets from the Node (locality, network), not from the pod template. */
const NODE_LOCALITY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone', 'topology.istio.io/network', 'topology.istio.io/cluster'];

function checkDestinationRule(context: Context, entry: Entry): void {
  const spec = record(entry.object.spec);
  const host = str(spec.host);
  if (!host) return;
  const target = resolveHost(context, host, entry.effectiveNamespace ?? 'default');
  checkHost(context, entry, 'spec.host', host, target);
  const workloads = workloadsOf(target);
  // As istioctl analyze's IST0173, only where the input has workloads for the host: a Service that selects nothing is
  // reported on the Service, and a host without workloads in the input (external, elsewhere) has nothing to compare.
  if (!workloads || context.inventory.selected(workloads.namespace, { matchLabels: workloads.selector }).length === 0) return;
  records(spec.subsets).forEach((subset, i) => {
    // Istio takes locality labels from the pod's Node, which the input does not have: they select no template label.
    const podLabels = Object.fromEntries(Object.entries(stringMap(subset.labels)).filter(([key]) => !NODE_LOCALITY_LABELS.includes(key)));
    const labels = { ...workloads.selector, ...podLabels };
    if (context.inventory.selected(workloads.namespace, { matchLabels: labels }).length === 0) {
      context.report(entry, 'ref-subset-selects-nothing', at('spec.subsets', i, 'labels'),
        `subset "${str(subset.name) ?? i}" selects no pods: no workload in namespace ${workloads.namespace} has labels ${formatLabels(labels)} (${workloads.owner}'s selector plus the subset labels)`);
    }
  });
}

/**
 * The workloads behind a host, as Istio selects its endpoints: a Service's selector in its namespace, or a ServiceEntry's
 * `workloadSelector` in the ServiceEntry's namespace; undefined for other hosts.
 */
function workloadsOf(target: HostTarget): { namespace: string; selector: Record<string, string>; owner: string } | undefined {
  if (target.type === 'service' && target.entry) {
    return { namespace: target.namespace, selector: stringMap(record(target.entry.object.spec).selector), owner: `Service ${target.name}` };
  }
  if (target.type !== 'service-entry') return undefined;
  const selector = stringMap(record(record(target.entry.object.spec).workloadSelector).labels);
  if (Object.keys(selector).length === 0) return undefined;
  return { namespace: target.entry.effectiveNamespace ?? 'default', selector, owner: `ServiceEntry ${target.entry.name}` };
}

/**
 * Whether a pod template is an Istio gateway's: labelled `istio: <name>gateway` as Istio's installations label theirs
 * (`ingressgateway`, `egressgateway`, `eastwestgateway`), or injected with the gateway template (gateway injection, the
 * `istio/gateway` chart: `inject.istio.io/templates: gateway`).
 */
function isGatewayWorkload(template: PodTemplate): boolean {
  return (template.labels.istio ?? '').endsWith('gateway')
    || (template.annotations['inject.istio.io/templates'] ?? '').split(',').map((name) => name.trim()).includes('gateway');
}

/** @param gatewayWorkloads the pod templates of the input's gateway workloads (found once for every Gateway) */
function checkGatewaySelector(context: Context, entry: Entry, gatewayWorkloads: () => PodTemplate[]): void {
  const selector = stringMap(record(entry.object.spec).selector);
  if (Object.keys(selector).length === 0) return;
  if (context.inventory.anySelected(selector)) return;
  const gateways = gatewayWorkloads();
  if (gateways.length > 0) {
    const described = gateways.map((template) => `${template.entry.kind} ${template.entry.effectiveNamespace}/${template.entry.name} (${formatLabels(template.labels)})`);
    context.report(entry, 'ref-gateway-selector', 'spec.selector',
      `selector ${formatLabels(selector)} matches none of the gateway workloads of the input: ${described.join('; ')}`,
      { severity: 'error', hint: "match the gateway deployment's pod labels (e.g. istio: ingressgateway)" });
    return;
  }
  if (context.options.strict) {
    if (selects({ matchLabels: selector }, DEFAULT_INGRESS_GATEWAY.labels)) return;
    context.report(entry, 'ref-gateway-selector', 'spec.selector',
      `selector ${formatLabels(selector)} matches no workload in the input, nor Istio's default ingress gateway (strict, as istioctl analyze)`,
      { severity: 'error' });
    return;
  }
  context.report(entry, 'ref-gateway-selector', 'spec.selector',
    `selector ${formatLabels(selector)} matches no workload in the input (fine if the gateway deployment is installed separately, e.g. by the Istio chart)`);
}
