import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

/** Identity stamped on every log line. */
export interface LoggerOptions {
  /** Service name, e.g. `user-service`. */
  readonly service: string;
  /** Running version (`SERVICE_VERSION`). */
  readonly version: string;
  /** Minimum level written. */
  readonly level: LogLevel;
  /** Where lines are written. @default stdout */
  readonly destination?: DestinationStream;
}

/**
 * Compact forms of the objects Fastify's built-in log lines pass (`{ req }`, `{ res }`); without them a line would hold
 * the whole request or reply.
 */
const serializers = {
  req: (request: { method: string; url: string; ip?: string }) => ({ method: request.method, url: request.url, remoteAddress: request.ip }),
  res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
  err: pino.stdSerializers.err,
};

/**
 * Structured JSON logs to stdout (the container runtime collects them): ISO timestamps, level names instead of numbers,
 * and `service`/`version` on every line so canary versions can be told apart.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service, version: options.version, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers,
    },
    options.destination,
  );
}
