import { selectStorage } from '../../kit/database/open';
import { type KitDeps, type Service, createService } from '../../kit/service';
import { UpstreamClient } from '../../kit/upstream';
import type { OrderServiceConfig } from './config';
import { OrderHandler } from './handler';
import { InMemoryOrderRepository, type OrderRepository } from './model';
import { PostgresOrderRepository } from './postgres-repository';
import { Reconciler } from './reconciler';
import { registerOrderRoutes } from './router';
import { ORDER_MIGRATIONS } from './schema';
import { PaymentGateway, UserDirectory } from './upstream';

/** Replaceable parts of order-service (tests pass their own). */
export interface OrderServiceDeps extends KitDeps {
  /** Storage. @default PostgreSQL when `DATABASE_URL(_FILE)` is set, else a new InMemoryOrderRepository */
  readonly repository?: OrderRepository;
}

/**
 * Assembles order-service: the kit's app, storage, clients of user-service and payment-service, handler, routes, and
 * the reconciliation of pending orders (started here, stopped when the app closes).
 */
export function buildOrderService(config: OrderServiceConfig, deps: OrderServiceDeps = {}): Service {
  const service = createService({ name: 'order-service', config, logger: deps.logger, tracing: deps.tracing });
  const orders =
    deps.repository ??
    selectStorage<OrderRepository>(service, config, {
      what: 'orders',
      memory: () => new InMemoryOrderRepository(),
      postgres: (database) => new PostgresOrderRepository(database),
      database: { migrations: ORDER_MIGRATIONS, application: 'order-service' },
    });
  const payments = new PaymentGateway(new UpstreamClient('payment-service', config.paymentServiceUrl, service.tracing));
  const handler = new OrderHandler({
    orders,
    users: new UserDirectory(new UpstreamClient('user-service', config.userServiceUrl, service.tracing)),
    payments,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
  });
  registerOrderRoutes(service.app, handler);
  const reconciler = new Reconciler({
    orders,
    payments,
    intervalMs: config.reconcileIntervalMs,
    timeoutMs: config.reconcileTimeoutMs,
    logger: service.app.log,
  });
  reconciler.start();
  // preClose runs before every onClose hook, so a round never runs on a closed database pool.
  service.app.addHook('preClose', () => reconciler.stop());
  return service;
}
