import { type BaseConfig, readBaseConfig, EnvReader } from '../../../services/kit/config';

/** The base configuration with defaults, quiet logs, for in-process tests. */
export function testConfig(env: Record<string, string> = {}): BaseConfig {
  return readBaseConfig(new EnvReader({ LOG_LEVEL: 'silent', ...env }));
}
