import { openDatabase } from '../../kit/database/open';
import type { Service } from '../../kit/service';
import type { PaymentServiceConfig } from './config';
import { InMemoryPaymentRepository, type PaymentRepository } from './model';
import { PostgresPaymentRepository } from './postgres-repository';
import { PAYMENT_MIGRATIONS } from './schema';

/** The repository the configuration selects: PostgreSQL when `DATABASE_URL(_FILE)` is set, else process memory. */
export function paymentStorage(service: Service, config: PaymentServiceConfig): PaymentRepository {
  if (config.database === undefined) {
    service.app.log.info('no DATABASE_URL: payments are kept in memory (lost on restart, not shared between replicas)');
    return new InMemoryPaymentRepository();
  }
  const database = openDatabase(service, {
    target: config.database,
    migrations: PAYMENT_MIGRATIONS,
    application: 'payment-service',
    poolSize: config.databasePoolSize,
    lockTimeoutMs: config.idempotencyWaitMs,
  });
  return new PostgresPaymentRepository(database);
}
