import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BaseConfig } from './config';
import { HttpError, errorBody } from './errors';
import { Readiness, registerHealthRoutes } from './health';
import { createLogger } from './logger';
import { registerMetrics } from './metrics';
import { RequestLogController } from './request-log';

/** Fastify errors whose own message says less than it could. */
const clearerMessages: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'content-type must be application/json',
};

/** What {@link createService} needs. */
export interface ServiceOptions {
  /** Service name, used in logs and metric labels. */
  readonly name: string;
  /** The common settings read by `readBaseConfig`. */
  readonly config: BaseConfig;
  /** Logger to use. @default a JSON logger at `config.logLevel` (see `createLogger`) */
  readonly logger?: Logger;
  /** Export Node.js process metrics. @default true */
  readonly processMetrics?: boolean;
}

/** A service's Fastify app together with the state the kit manages for it. */
export interface Service {
  /** The app: register the service's routes on it. */
  readonly app: FastifyInstance;
  /** Readiness state behind `/readyz`, flipped by the shutdown handler. */
  readonly readiness: Readiness;
  /** The Prometheus registry behind `/metrics`. */
  readonly registry: Registry;
}

/**
 * Creates a Fastify app with everything the platform expects of a service already wired: request ids from
 * `x-request-id` (generated when absent and echoed back), `x-service-version` on every response, one JSON log line
 * per request, `/healthz`, `/readyz`, `/metrics`, and `{ error, message }` bodies for every error and unknown route.
 * Bodies are validated without type coercion, so `"12"` is not accepted as a number.
 */
export function createService(options: ServiceOptions): Service {
  const { name, config } = options;
  const logger =
    options.logger ?? createLogger({ service: name, version: config.serviceVersion, level: config.logLevel });
  const app = Fastify({
    loggerInstance: logger,
    logController: new RequestLogController(),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ajv: { customOptions: { coerceTypes: false } },
  }) as unknown as FastifyInstance;

  const readiness = new Readiness();
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-service-version', config.serviceVersion);
    reply.header('x-request-id', request.id);
    // Once shutdown starts, close each connection after its response; otherwise an idle keep-alive connection
    // would hold the listener open until its keep-alive timeout and the drain would never finish.
    if (!readiness.ready) reply.header('connection', 'close');
    done(null, payload);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    const internal = statusCode >= 500 && !(error instanceof HttpError);
    const message = internal ? 'internal server error' : clearerMessages[error.code] ?? error.message;
    if (internal) request.log.error({ err: error }, 'request failed');
    else if (statusCode >= 500) request.log.warn({ err: error }, 'dependency failed');
    // Internal errors keep their details in the log, not in the response.
    return reply.code(statusCode).send(errorBody(statusCode, message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(404, `route ${request.method} ${request.url.split('?')[0]} not found`)),
  );

  registerHealthRoutes(app, readiness);
  const registry = registerMetrics(app, {
    service: name,
    version: config.serviceVersion,
    processMetrics: options.processMetrics,
  });
  return { app, readiness, registry };
}
