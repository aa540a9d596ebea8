import { type BaseConfig, EnvReader, readBaseConfig } from '../../kit/config';
import { type DatabaseConfig, readDatabaseConfig } from '../../kit/database/config';

/** payment-service settings. */
export interface PaymentServiceConfig extends BaseConfig, DatabaseConfig {
  /** `FAILURE_RATE`: share of charges that fail with 503, to show retries, outlier detection and fault handling. @default 0 */
  readonly failureRate: number;
  /** `LATENCY_MS`: delay added to every charge, to show timeouts. @default 0 */
  readonly latencyMs: number;
  /**
   * `PAYMENT_PROVIDER_API_KEY`, or the file named by `PAYMENT_PROVIDER_API_KEY_FILE`: the provider credential.
   * @default undefined (sandbox mode)
   */
  readonly providerApiKey?: string;
  /**
   * Why a configured key file gave no key (missing or empty file), logged as a warning at start-up; the service then
   * runs in sandbox mode. @default undefined
   */
  readonly providerKeyWarning?: string;
  /** `PAYMENT_PROVIDER_REQUIRED`: refuse to start without a provider key (set in production). @default false */
  readonly providerRequired: boolean;
  /**
   * `IDEMPOTENCY_WAIT_MS`: how long a retry waits for another replica's charge with the same key before answering
   * 409 (with a database; within one process a retry always waits for the charge in flight). @default 10000
   */
  readonly idempotencyWaitMs: number;
}

/** Reads and validates payment-service's environment. @throws ConfigError naming every invalid variable */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PaymentServiceConfig {
  const reader = new EnvReader(env);
  const providerRequired = reader.boolean('PAYMENT_PROVIDER_REQUIRED', false);
  const key = reader.optionalSecret('PAYMENT_PROVIDER_API_KEY');
  if (providerRequired && key.value === undefined) {
    const why = key.unreadable ?? 'neither PAYMENT_PROVIDER_API_KEY nor PAYMENT_PROVIDER_API_KEY_FILE is set';
    reader.report(`PAYMENT_PROVIDER_REQUIRED=true: ${why}: mount the provider key, or set PAYMENT_PROVIDER_REQUIRED=false for sandbox mode`);
  }
  return reader.done({
    ...readBaseConfig(reader),
    ...readDatabaseConfig(reader),
    failureRate: reader.number('FAILURE_RATE', { default: 0, min: 0, max: 1 }),
    latencyMs: reader.integer('LATENCY_MS', { default: 0, min: 0, max: 600_000 }),
    providerApiKey: key.value,
    providerKeyWarning: key.unreadable,
    providerRequired,
    idempotencyWaitMs: reader.integer('IDEMPOTENCY_WAIT_MS', { default: 10_000, min: 1, max: 600_000 }),
  });
}
