import { type BaseConfig, EnvReader, readBaseConfig } from '../../kit/config';
import { type DatabaseConfig, readDatabaseConfig } from '../../kit/database/config';

/** order-service settings. */
export interface OrderServiceConfig extends BaseConfig, DatabaseConfig {
  /** `USER_SERVICE_URL`: base URL of user-service. @default 'http://user-service:8080' */
  readonly userServiceUrl: string;
  /** `PAYMENT_SERVICE_URL`: base URL of payment-service. @default 'http://payment-service:8080' */
  readonly paymentServiceUrl: string;
  /**
   * `UPSTREAM_TIMEOUT_MS`: deadline for all upstream calls of one order; past it the order is answered 202 pending
   * (or 504 while checking the user, before anything is stored). @default 2000
   */
  readonly upstreamTimeoutMs: number;
  /** `RECONCILE_INTERVAL_MS`: time between reconciliation rounds of pending orders. @default 5000 */
  readonly reconcileIntervalMs: number;
  /** `RECONCILE_TIMEOUT_MS`: deadline of the payment-service calls that settle one pending order. @default 10000 */
  readonly reconcileTimeoutMs: number;
}

/** Reads and validates order-service's environment. @throws ConfigError naming every invalid variable */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): OrderServiceConfig {
  const reader = new EnvReader(env);
  return reader.done({
    ...readBaseConfig(reader),
    ...readDatabaseConfig(reader),
    userServiceUrl: reader.url('USER_SERVICE_URL', 'http://user-service:8080'),
    paymentServiceUrl: reader.url('PAYMENT_SERVICE_URL', 'http://payment-service:8080'),
    upstreamTimeoutMs: reader.integer('UPSTREAM_TIMEOUT_MS', { default: 2000, min: 1, max: 600_000 }),
    reconcileIntervalMs: reader.integer('RECONCILE_INTERVAL_MS', { default: 5000, min: 10, max: 3_600_000 }),
    reconcileTimeoutMs: reader.integer('RECONCILE_TIMEOUT_MS', { default: 10_000, min: 1, max: 600_000 }),
  });
}
