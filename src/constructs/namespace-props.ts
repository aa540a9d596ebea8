/**
 * What the namespace-wide constructs share in their props: the services of the namespace with whom each calls (the
 * allow graph of the access policies and the NetworkPolicies), and the ingress gateway; their defaults come from the
 * description's schema.
 */
import { defaultGatewayName } from '../description/names/mesh';
import type { PlatformIdentity } from '../description/names/workloads';
import { platformSchema } from '../description/schema';
import type { PlatformDescription, PlatformSpec, ServiceDescription, ServiceSpec } from '../description/types';
import { serviceField, withDefaults } from './defaults';
import { propsError, type PropsContext } from './placement';

/** A service of the namespace: whom it calls, its ports, and whether the ingress gateway reaches it. */
export type NamespaceService = Pick<ServiceDescription, 'name' | 'component' | 'calls' | 'ports' | 'delivery' | 'expose'>;

/** A service of the namespace with the schema's defaults. */
export type NamespaceServiceSpec = Pick<ServiceSpec, 'name' | 'component' | 'calls' | 'ports' | 'delivery' | 'expose'>;

/** The services with the schema's defaults; refuses a call to a service that is not among them. */
export function resolveServices(context: PropsContext, services: readonly NamespaceService[]): NamespaceServiceSpec[] {
  const resolved = services.map((service, index): NamespaceServiceSpec => {
    const field = serviceField(context, `services[${index}].`);
    return {
      name: field('name', service.name),
      component: field('component', service.component),
      calls: field('calls', service.calls),
      ports: field('ports', service.ports),
      delivery: field('delivery', service.delivery),
      expose: field('expose', service.expose),
    };
  });
  const names = resolved.map((service) => service.name);
  for (const service of resolved) {
    const unknown = service.calls.find((callee) => !names.includes(callee));
    if (unknown) {
      throw propsError(context, `services.${service.name}.calls: "${unknown}" is not among the services (${names.join(', ')}); add it, or remove the call`);
    }
  }
  return resolved;
}

/** The ingress gateway as the description describes it. */
export type GatewayProps = PlatformDescription['gateway'];
/** The ingress gateway with the schema's defaults and its name. */
export type GatewaySettings = PlatformSpec['gateway'];

/** The gateway with the schema's defaults: Istio's ingress gateway pods, every host, HTTP only, named `<partOf>-gateway`. */
export function resolveGateway(context: PropsContext, platform: PlatformIdentity, gateway: GatewayProps | undefined): GatewaySettings {
  const settings = withDefaults(context, 'gateway', platformSchema.shape.gateway, gateway);
  return { ...settings, name: settings.name ?? defaultGatewayName(platform) };
}
