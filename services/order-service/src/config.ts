import { type BaseConfig, EnvReader, readBaseConfig } from '../../kit/config';

/** order-service settings. */
export interface OrderServiceConfig extends BaseConfig {
  /** `USER_SERVICE_URL`: base URL of user-service. @default 'http://user-service:8080' */
  readonly userServiceUrl: string;
  /** `PAYMENT_SERVICE_URL`: base URL of payment-service. @default 'http://payment-service:8080' */
  readonly paymentServiceUrl: string;
  /** `UPSTREAM_TIMEOUT_MS`: deadline for all upstream calls of one order, after which it answers 504. @default 2000 */
  readonly upstreamTimeoutMs: number;
}

/** Reads and validates order-service's environment. @throws ConfigError naming every invalid variable */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): OrderServiceConfig {
  const reader = new EnvReader(env);
  return reader.done({
    ...readBaseConfig(reader),
    userServiceUrl: reader.url('USER_SERVICE_URL', 'http://user-service:8080'),
    paymentServiceUrl: reader.url('PAYMENT_SERVICE_URL', 'http://payment-service:8080'),
    upstreamTimeoutMs: reader.integer('UPSTREAM_TIMEOUT_MS', { default: 2000, min: 1, max: 600_000 }),
  });
}
