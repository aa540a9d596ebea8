import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { type TracingConfig, readTracingConfig } from './tracing/config';

/** Thrown when environment variables are invalid; the message lists every problem, one per line. */
export class ConfigError extends Error {
  /** @param problems one line per invalid variable, naming it, the value and the fix */
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Bounds and default of a numeric variable. */
export interface NumberOptions {
  /** Value when the variable is unset or empty. */
  readonly default: number;
  /** Smallest allowed value. @default -Infinity */
  readonly min?: number;
  /** Largest allowed value. @default Infinity */
  readonly max?: number;
}

/**
 * Reads typed values from environment variables, collecting every problem instead of stopping at the first,
 * so one start-up attempt reports all mistakes. Call {@link EnvReader.done} after the last read.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  /** @param env the variables to read @default process.env */
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /**
   * A string variable that must pass `isValid`; unset or empty gives `fallback`.
   * @param expectation what a valid value looks like, for the error message, e.g. `expected an IP address`
   */
  checked(name: string, fallback: string, isValid: (value: string) => boolean, expectation: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    return isValid(value) ? value : this.problem(name, value, expectation, fallback);
  }

  /** An integer variable within bounds. */
  integer(name: string, options: NumberOptions): number {
    return this.numeric(name, options, true);
  }

  /** A (possibly fractional) number variable within bounds. */
  number(name: string, options: NumberOptions): number {
    return this.numeric(name, options, false);
  }

  /** One of a fixed set of words. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    return this.problem(name, value, `expected one of ${allowed.join(', ')}`, fallback);
  }

  /** An absolute http(s) URL, returned without a trailing slash. */
  url(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
    } catch {
      // reported below
    }
    return this.problem(name, value, 'expected an absolute http:// or https:// URL', fallback);
  }

  /**
   * A secret from the variable itself or from the file named by `<name>_FILE` (how Kubernetes Secrets are mounted);
   * surrounding whitespace (the trailing newline of most secret files) is trimmed. Values never appear in messages.
   * @returns undefined when neither is set
   */
  secret(name: string): string | undefined {
    const { value, unreadable } = this.optionalSecret(name);
    if (unreadable !== undefined) this.problems.push(`${unreadable}: mount it or unset ${name}_FILE`);
    return value;
  }

  /**
   * Like {@link EnvReader.secret}, but a missing or empty `<name>_FILE` is not a problem: it is described in
   * `unreadable` (naming the file, never a value) for the caller to decide, e.g. to warn and run without the secret.
   * Setting both variables is still a problem.
   */
  optionalSecret(name: string): { readonly value?: string; readonly unreadable?: string } {
    const direct = this.raw(name);
    const file = this.raw(`${name}_FILE`);
    if (direct !== undefined && file !== undefined) {
      this.problems.push(`${name} and ${name}_FILE are both set: set only one of them`);
      return {};
    }
    if (file === undefined) return { value: direct };
    try {
      const value = readFileSync(file, 'utf8').trim();
      if (value !== '') return { value };
      return { unreadable: `${name}_FILE="${file}": the file is empty` };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      return { unreadable: `${name}_FILE="${file}": cannot read the file (${reason})` };
    }
  }

  /** `true` or `false` (also `1`/`0`, `yes`/`no`, any case). */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    return this.problem(name, value, 'expected true or false', fallback);
  }

  /** Records a problem found by the caller (one line naming the variable and the fix); {@link EnvReader.done} throws it. */
  report(problem: string): void {
    this.problems.push(problem);
  }

  /**
   * Ends reading.
   * @returns `config` unchanged when every variable was valid
   * @throws ConfigError listing all problems otherwise
   */
  done<T>(config: T): T {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
    return config;
  }

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  private numeric(name: string, options: NumberOptions, integer: boolean): number {
    const value = this.raw(name);
    if (value === undefined) return options.default;
    const parsed = Number(value);
    const { min = -Infinity, max = Infinity } = options;
    const valid = Number.isFinite(parsed) && (!integer || Number.isInteger(parsed)) && parsed >= min && parsed <= max;
    if (valid) return parsed;
    const kind = integer ? 'an integer' : 'a number';
    const range = Number.isFinite(max) ? ` from ${min} to ${max}` : Number.isFinite(min) ? ` >= ${min}` : '';
    return this.problem(name, value, `expected ${kind}${range}`, options.default);
  }

  private problem<T>(name: string, value: string, expectation: string, fallback: T): T {
    const fix = fallback === '' ? 'unset it' : `unset it to use the default ${String(fallback)}`;
    this.problems.push(`${name}="${value}": ${expectation} (${fix})`);
    return fallback;
  }
}

/** Pino's levels, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** A pino log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings every service reads. */
export interface BaseConfig {
  /** `PORT`: TCP port for the API, probes and metrics. @default 8080 */
  readonly port: number;
  /** `HOST`: address to bind. @default '0.0.0.0' */
  readonly host: string;
  /** `SERVICE_VERSION`: reported in `x-service-version` and on every metric and log line. @default 'dev' */
  readonly serviceVersion: string;
  /** `LOG_LEVEL`: pino level. @default 'info' */
  readonly logLevel: LogLevel;
  /** `SHUTDOWN_DELAY_MS`: time the service keeps serving, unready, after SIGTERM. @default 0 */
  readonly shutdownDelayMs: number;
  /** `SHUTDOWN_TIMEOUT_MS`: budget for in-flight requests to finish once the listener closes. @default 10000 */
  readonly shutdownTimeoutMs: number;
  /**
   * Where spans are exported, from OpenTelemetry's standard variables (`OTEL_EXPORTER_OTLP_ENDPOINT` …; see
   * `TracingConfig`). @default undefined: no backend, no spans recorded (trace headers are still forwarded)
   */
  readonly tracing?: TracingConfig;
}

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** What Node.js accepts in a header value, narrowed to printable ASCII (no control characters, no other scripts). */
const HEADER_SAFE = /^[\x20-\x7e]{1,128}$/;

/** Reads the variables common to all services (see {@link BaseConfig}). */
export function readBaseConfig(env: EnvReader): BaseConfig {
  return {
    port: env.integer('PORT', { default: 8080, min: 0, max: 65535 }),
    host: env.checked(
      'HOST',
      '0.0.0.0',
      (value) => isIP(value) !== 0 || HOST_NAME.test(value),
      'expected an IP address (e.g. 0.0.0.0, ::) or a host name',
    ),
    // Sent on every response: a value Node.js refuses as a header would turn every response into a 500.
    serviceVersion: env.checked(
      'SERVICE_VERSION',
      'dev',
      (value) => HEADER_SAFE.test(value),
      'expected printable ASCII (letters, digits, punctuation), at most 128 characters, since it is sent as the x-service-version header',
    ),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    shutdownDelayMs: env.integer('SHUTDOWN_DELAY_MS', { default: 0, min: 0, max: 600_000 }),
    shutdownTimeoutMs: env.integer('SHUTDOWN_TIMEOUT_MS', { default: 10_000, min: 0, max: 600_000 }),
    tracing: readTracingConfig(env),
  };
}
