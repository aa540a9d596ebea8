import type { Logger } from 'pino';
import { type Service, createService } from '../../kit/service';
import { UpstreamClient } from '../../kit/upstream';
import type { OrderServiceConfig } from './config';
import { OrderHandler } from './handler';
import { InMemoryOrderRepository, type OrderRepository } from './model';
import { registerOrderRoutes } from './router';
import { PaymentGateway, UserDirectory } from './upstream';

/** Replaceable parts of order-service (tests pass their own). */
export interface OrderServiceDeps {
  /** Storage. @default a new InMemoryOrderRepository */
  readonly repository?: OrderRepository;
  /** Logger. @default JSON logs at the configured level */
  readonly logger?: Logger;
}

/** Assembles order-service: the kit's app, storage, clients of user-service and payment-service, handler and routes. */
export function buildOrderService(config: OrderServiceConfig, deps: OrderServiceDeps = {}): Service {
  const service = createService({ name: 'order-service', config, logger: deps.logger });
  const handler = new OrderHandler({
    orders: deps.repository ?? new InMemoryOrderRepository(),
    users: new UserDirectory(new UpstreamClient('user-service', config.userServiceUrl)),
    payments: new PaymentGateway(new UpstreamClient('payment-service', config.paymentServiceUrl)),
    upstreamTimeoutMs: config.upstreamTimeoutMs,
  });
  registerOrderRoutes(service.app, handler);
  return service;
}
