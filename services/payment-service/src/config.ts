import { type BaseConfig, EnvReader, readBaseConfig } from '../../kit/config';

/** payment-service settings. */
export interface PaymentServiceConfig extends BaseConfig {
  /** `FAILURE_RATE`: share of charges that fail with 503, to show retries, outlier detection and fault handling. @default 0 */
  readonly failureRate: number;
  /** `LATENCY_MS`: delay added to every charge, to show timeouts. @default 0 */
  readonly latencyMs: number;
  /**
   * `PAYMENT_PROVIDER_API_KEY`, or the file named by `PAYMENT_PROVIDER_API_KEY_FILE`: the provider credential.
   * @default undefined (sandbox mode)
   */
  readonly providerApiKey?: string;
}

/** Reads and validates payment-service's environment. @throws ConfigError naming every invalid variable */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PaymentServiceConfig {
  const reader = new EnvReader(env);
  return reader.done({
    ...readBaseConfig(reader),
    failureRate: reader.number('FAILURE_RATE', { default: 0, min: 0, max: 1 }),
    latencyMs: reader.integer('LATENCY_MS', { default: 0, min: 0, max: 600_000 }),
    providerApiKey: reader.secret('PAYMENT_PROVIDER_API_KEY'),
  });
}
