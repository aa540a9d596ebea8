import { type BaseConfig, EnvReader, readBaseConfig } from '../../kit/config';

/** user-service settings: only the common ones (see `BaseConfig`). */
export type UserServiceConfig = BaseConfig;

/** Reads and validates user-service's environment. @throws ConfigError naming every invalid variable */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): UserServiceConfig {
  const reader = new EnvReader(env);
  return reader.done(readBaseConfig(reader));
}
