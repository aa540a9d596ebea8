/**
 * HTTP routes of one service, shared by its mesh VirtualService and the ingress VirtualService so both apply the same
 * canary weights, header routing, timeouts, retries, faults and mirroring.
 */
import type {
  VirtualServiceSpecHttp, VirtualServiceSpecHttpMatch, VirtualServiceSpecHttpRetries, VirtualServiceSpecHttpRouteDestination,
} from '../../imports/networking.istio.io';
import { serviceHost, type PlatformIdentity } from '../description/names/workloads';
import type { RoutedService } from './traffic-props';
import { isProgressive } from '../description/delivery-schema';

/** Methods that are safe to send twice (RFC 9110 idempotent methods). */
export const IDEMPOTENT_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'] as const;

/** Retry conditions for idempotent requests: also after the upstream may have seen the request. */
export const IDEMPOTENT_RETRY_ON = '5xx,reset,connect-failure,refused-stream';

/**
 * Retry conditions for any other request: only when the request provably never reached the application.
 * Routes always set `retries` because Istio's default policy would otherwise retry POSTs too.
 */
export const UNPROCESSED_RETRY_ON = 'connect-failure,refused-stream';

/** Where the routes are mounted. */
export interface RouteMount {
  /** Prefix to match, e.g. "/api/orders". @default every path */
  readonly prefix?: string;
  /** Replacement for the matched prefix. @default no rewrite */
  readonly rewrite?: string;
  /** Prefix for route names, unique within one VirtualService. @default "" */
  readonly namePrefix?: string;
}

function retries(service: RoutedService, retryOn: string): VirtualServiceSpecHttpRetries {
  const { attempts, perTryTimeout } = service.traffic.retries;
  return attempts === 0 ? { attempts: 0 } : { attempts, perTryTimeout, retryOn };
}

/** The service's HTTP routes: header-pinned canary first, then weighted; each split into idempotent and other methods. */
export function httpRoutes(platform: PlatformIdentity, service: RoutedService, mount: RouteMount = {}): VirtualServiceSpecHttp[] {
  // Progressive: Flagger's delegate VirtualService (named after the service) holds the weighted route, timeout and retries.
  if (isProgressive(service)) {
    return [{
      name: `${mount.namePrefix ?? ''}delegated`,
      ...(mount.prefix ? { match: [{ uri: { prefix: mount.prefix } }] } : {}),
      ...(mount.rewrite ? { rewrite: { uri: mount.rewrite } } : {}),
      delegate: { name: service.name, namespace: platform.namespace },
    }];
  }
  const host = serviceHost(platform, service.name);
  const port = { number: service.ports[0].port };
  const destination = (subset: string): VirtualServiceSpecHttpRouteDestination => ({ host, subset, port });
  const { timeout, fault, mirror } = service.traffic;
  const common: VirtualServiceSpecHttp = {
    timeout,
    ...(mount.rewrite ? { rewrite: { uri: mount.rewrite } } : {}),
    ...(fault ? { fault: {
      ...(fault.delay ? { delay: { fixedDelay: fault.delay.fixedDelay, percentage: { value: fault.delay.percentage } } } : {}),
      ...(fault.abort ? { abort: { httpStatus: fault.abort.httpStatus, percentage: { value: fault.abort.percentage } } } : {}),
    } } : {}),
    ...(mirror ? { mirror: destination(mirror.version), mirrorPercentage: { value: mirror.percentage } } : {}),
  };
  const base: VirtualServiceSpecHttpMatch = mount.prefix ? { uri: { prefix: mount.prefix } } : {};
  const idempotent: VirtualServiceSpecHttpMatch = { method: { regex: `^(${IDEMPOTENT_METHODS.join('|')})$` } };
  const named = (name: string) => `${mount.namePrefix ?? ''}${name}`;
  const split = (name: string, match: VirtualServiceSpecHttpMatch, route: VirtualServiceSpecHttp['route']): VirtualServiceSpecHttp[] => [
    { name: named(`${name}-idempotent`), match: [{ ...match, ...idempotent }], route, ...common, retries: retries(service, IDEMPOTENT_RETRY_ON) },
    { name: named(name), ...(Object.keys(match).length > 0 ? { match: [match] } : {}), route, ...common, retries: retries(service, UNPROCESSED_RETRY_ON) },
  ];

  const routes: VirtualServiceSpecHttp[] = [];
  const header = service.canary.header;
  if (header) {
    routes.push(...split('pinned', { ...base, headers: { [header.name]: { exact: header.value } } }, [{ destination: destination(header.version), weight: 100 }]));
  }
  routes.push(...split('weighted', base, service.versions.map((version) => ({ destination: destination(version.name), weight: version.weight }))));
  return routes;
}
