import { hostname } from 'node:os';
import pino, { type Logger } from 'pino';
import type { LogLevel } from './config';

/** Identity stamped on every log line. */
export interface LoggerOptions {
  /** Service name, e.g. `user-service`. */
  readonly service: string;
  /** Running version (`SERVICE_VERSION`). */
  readonly version: string;
  /** Minimum level written. */
  readonly level: LogLevel;
}

/**
 * Structured JSON logs to stdout (the container runtime collects them): ISO timestamps, level names instead of numbers,
 * and `service`/`version` on every line so canary versions can be told apart.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    level: options.level,
    base: { service: options.service, version: options.version, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
