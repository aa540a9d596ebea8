/** Cross-field rules that a per-field schema cannot express. Each issue names the field and the fix. */
import type { z } from 'zod';
import { databaseIssues } from './database-rules';
import type { ConfigIssue } from './errors';
import { parseDurationMs, parseQuantity } from './formats';
import { didYouMean } from './suggest';
import type { platformSchema, serviceSchema } from './schema';

type Platform = z.output<typeof platformSchema>;
type Service = z.output<typeof serviceSchema>;

/** Fewest replicas per version a production environment allows (`npm run new:service` sets it in their overrides). */
export const PRODUCTION_MIN_REPLICAS = 2;

/** Values that occur more than once, in the order of their second occurrence (one pass: the lists can be long). */
function duplicates(values: readonly (string | number)[]): (string | number)[] {
  const seen = new Set<string | number>();
  const repeated = new Set<string | number>();
  for (const value of values) (seen.has(value) ? repeated : seen).add(value);
  return [...repeated];
}

function uniquenessIssues(service: Service, at: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const name of duplicates(service.versions.map((v) => v.name))) {
    issues.push({ path: `${at}.versions.${name}`, message: `duplicate version name "${name}"`, fix: 'give each version a unique name' });
  }
  for (const name of duplicates(service.ports.map((p) => p.name))) {
    issues.push({ path: `${at}.ports.${name}`, message: `duplicate port name "${name}"`, fix: 'give each port a unique name' });
  }
  for (const port of duplicates(service.ports.map((p) => p.port))) {
    issues.push({ path: `${at}.ports`, message: `port ${port} is declared twice`, fix: 'give each port a unique number' });
  }
  for (const key of duplicates(service.secrets.map((s) => s.key))) {
    issues.push({ path: `${at}.secrets.${key}`, message: `duplicate secret key "${key}"`, fix: 'list each key once' });
  }
  return issues;
}

/**
 * Where a service's canary weight for a version came from, for the sum in messages: the environment's name when its
 * overrides set it, else `inherited from the description`.
 */
export type WeightOrigin = (service: string, version: string) => string;

/** Options of {@link checkPlatformRules}. */
export interface RuleOptions {
  /** Where weights came from; a sum of weights from more than one place names each one's. @default sums are not annotated */
  readonly origin?: WeightOrigin;
}

/** `50 (dev) + 10 (inherited from the description)` when the weights come from more than one place, else `50 + 10`. */
function weightTerms(service: Service, weights: Readonly<Record<string, number>>, origin?: WeightOrigin): string {
  const entries = Object.entries(weights);
  const origins = entries.map(([version]) => origin?.(service.name, version));
  const mixed = new Set(origins).size > 1;
  return entries.map(([, weight], i) => (mixed ? `${weight} (${origins[i]})` : String(weight))).join(' + ');
}

function routingIssues(service: Service, at: string, origin?: WeightOrigin): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const deployed = service.versions.map((v) => v.name);
  const deployedList = deployed.join(', ');
  const requireDeployed = (version: string, path: string) => {
    if (!deployed.includes(version)) {
      issues.push({
        path,
        message: `version "${version}" is routed to but not deployed (deployed: ${deployedList})`,
        fix: `add "${version}" to ${at}.versions or route to a deployed version`,
      });
    }
  };
  const weights = service.canary.weights;
  if (weights === undefined) {
    if (deployed.length > 1) {
      issues.push({
        path: `${at}.canary.weights`,
        message: `${deployed.length} versions are deployed (${deployedList}) but no weights say how traffic is split`,
        fix: `set canary.weights, e.g. { ${deployed.map((v, i) => `${v}: ${i === 0 ? 100 : 0}`).join(', ')} }`,
      });
    }
  } else {
    for (const version of Object.keys(weights)) requireDeployed(version, `${at}.canary.weights.${version}`);
    const values = Object.values(weights);
    const total = values.reduce((sum, weight) => sum + weight, 0);
    if (total !== 100) {
      issues.push({
        path: `${at}.canary.weights`,
        message: `weights must add up to 100 (got ${weightTerms(service, weights, origin)} = ${total})`,
        fix: 'adjust the weights so that they sum to 100',
      });
    }
  }
  if (service.canary.header) requireDeployed(service.canary.header.version, `${at}.canary.header.version`);
  if (service.traffic.mirror) requireDeployed(service.traffic.mirror.version, `${at}.traffic.mirror.version`);
  return issues;
}

function capacityIssues(service: Service, at: string, production: boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { minReplicas, maxReplicas } = service.autoscaling;
  if (minReplicas > maxReplicas) {
    issues.push({
      path: `${at}.autoscaling.minReplicas`,
      message: `minReplicas (${minReplicas}) is above maxReplicas (${maxReplicas})`,
      fix: 'lower minReplicas or raise maxReplicas',
    });
  }
  if (production && minReplicas < PRODUCTION_MIN_REPLICAS) {
    issues.push({
      path: `${at}.autoscaling.minReplicas`,
      message: `production needs at least ${PRODUCTION_MIN_REPLICAS} replicas per version for availability (got ${minReplicas})`,
      fix: `set autoscaling.minReplicas to ${PRODUCTION_MIN_REPLICAS} or more in the production overrides`,
    });
  }
  const { cpuRequest, cpuLimit, memoryRequest, memoryLimit } = service.resources;
  for (const [name, request, limit] of [['cpu', cpuRequest, cpuLimit], ['memory', memoryRequest, memoryLimit]] as const) {
    if (parseQuantity(request) > parseQuantity(limit)) {
      issues.push({
        path: `${at}.resources.${name}Request`,
        message: `${name} request ${request} is above its limit ${limit}`,
        fix: `lower ${name}Request or raise ${name}Limit`,
      });
    }
  }
  return issues;
}

function trafficIssues(service: Service, at: string, production: boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { timeout, retries } = service.traffic;
  if (retries.attempts > 0 && parseDurationMs(retries.perTryTimeout) >= parseDurationMs(timeout)) {
    issues.push({
      path: `${at}.traffic.retries.perTryTimeout`,
      message: `perTryTimeout ${retries.perTryTimeout} is not shorter than the route timeout ${timeout}, so no retry could ever start`,
      fix: 'shorten perTryTimeout or lengthen traffic.timeout',
    });
  }
  if (production && service.traffic.fault) {
    issues.push({
      path: `${at}.traffic.fault`,
      message: 'fault injection is not allowed in production',
      fix: 'remove traffic.fault from the production overrides',
    });
  }
  return issues;
}

/** The platform's service names, in order and as a set (built once: a scan per service would be quadratic). */
interface ServiceNames {
  readonly list: readonly string[];
  readonly set: ReadonlySet<string>;
}

function referenceIssues(service: Service, at: string, serviceNames: ServiceNames): ConfigIssue[] {
  const names = serviceNames.list;
  const issues: ConfigIssue[] = service.calls
    .filter((callee) => !serviceNames.set.has(callee) || callee === service.name)
    .map((callee) => ({
      path: `${at}.calls`,
      message: callee === service.name ? 'a service cannot list itself as a callee' : `unknown service "${callee}" (services: ${names.join(', ')})`,
      fix: (callee !== service.name && didYouMean(callee, names)) || 'name another service of the platform',
    }));
  const keys = service.secrets.map((s) => s.key);
  for (const key of Object.keys(service.secretValues ?? {})) {
    if (!keys.includes(key)) {
      issues.push({
        path: `${at}.secretValues.${key}`,
        message: `no secret key "${key}" is declared (declared: ${keys.join(', ') || 'none'})`,
        fix: 'declare it in secrets or remove the value',
      });
    }
  }
  return issues;
}

function exposureIssues(platform: Platform): ConfigIssue[] {
  const exposed = platform.services.filter((s) => s.expose);
  return duplicates(exposed.map((s) => s.expose!.prefix)).map((prefix) => ({
    path: `services.${exposed.filter((s) => s.expose!.prefix === prefix).map((s) => s.name).join('+')}.expose.prefix`,
    message: `prefix "${prefix}" is exposed by more than one service`,
    fix: 'give each exposed service its own prefix',
  }));
}

/** Every cross-field issue in a parsed platform; empty when it is consistent. */
export function checkPlatformRules(platform: Platform, options: RuleOptions = {}): ConfigIssue[] {
  const names = platform.services.map((s) => s.name);
  const serviceNames = { list: names, set: new Set(names) };
  const issues: ConfigIssue[] = duplicates(names).map((name) => ({
    path: `services.${name}`,
    message: `duplicate service name "${name}"`,
    fix: 'give each service a unique name',
  }));
  for (const service of platform.services) {
    const at = `services.${service.name}`;
    issues.push(
      ...uniquenessIssues(service, at),
      ...routingIssues(service, at, options.origin),
      ...capacityIssues(service, at, platform.production),
      ...trafficIssues(service, at, platform.production),
      ...referenceIssues(service, at, serviceNames),
    );
  }
  issues.push(...exposureIssues(platform), ...databaseIssues(platform));
  return issues;
}
