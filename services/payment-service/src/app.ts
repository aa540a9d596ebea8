import { type KitDeps, type Service, createService } from '../../kit/service';
import type { PaymentServiceConfig } from './config';
import { PaymentHandler } from './handler';
import { selectStorage } from '../../kit/database/open';
import { InMemoryPaymentRepository, type PaymentRepository } from './model';
import { PostgresPaymentRepository } from './postgres-repository';
import { PaymentProcessor } from './processor';
import { type PaymentProvider, SimulatedProvider } from './provider';
import { registerPaymentRoutes } from './router';
import { PAYMENT_MIGRATIONS } from './schema';

/** Replaceable parts of payment-service (tests pass their own). */
export interface PaymentServiceDeps extends KitDeps {
  /** Storage. @default PostgreSQL when `DATABASE_URL(_FILE)` is set, else a new InMemoryPaymentRepository */
  readonly repository?: PaymentRepository;
  /** Where charges go. @default a SimulatedProvider with the configured latency and failure rate */
  readonly provider?: PaymentProvider;
}

/** Assembles payment-service: the kit's app, storage, provider, idempotent processor, handler and routes. */
export function buildPaymentService(config: PaymentServiceConfig, deps: PaymentServiceDeps = {}): Service {
  const service = createService({ name: 'payment-service', config, logger: deps.logger, tracing: deps.tracing });
  const provider =
    deps.provider ??
    new SimulatedProvider({
      latencyMs: config.latencyMs,
      failureRate: config.failureRate,
      mode: config.providerApiKey === undefined ? 'sandbox' : 'live',
    });
  // The key itself is never logged.
  const fields = { mode: provider.mode, failureRate: config.failureRate, latencyMs: config.latencyMs };
  if (config.providerKeyWarning !== undefined) {
    service.app.log.warn(
      fields,
      `${config.providerKeyWarning}: running in sandbox mode (no money moves); set PAYMENT_PROVIDER_REQUIRED=true to refuse to start instead`,
    );
  } else {
    service.app.log.info(
      fields,
      provider.mode === 'sandbox' ? 'no PAYMENT_PROVIDER_API_KEY: sandbox mode' : 'provider API key loaded: live mode',
    );
  }
  const repository =
    deps.repository ??
    selectStorage<PaymentRepository>(service, config, {
      what: 'payments',
      memory: () => new InMemoryPaymentRepository(),
      postgres: (database) => new PostgresPaymentRepository(database),
      database: { migrations: PAYMENT_MIGRATIONS, application: 'payment-service', lockTimeoutMs: config.idempotencyWaitMs },
    });
  const processor = new PaymentProcessor(repository, provider);
  registerPaymentRoutes(service.app, new PaymentHandler(processor));
  return service;
}
