import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BaseConfig } from './config';
import { HttpError, errorBody, publicMessage } from './errors';
import { PROBE_LOG_LEVEL, Readiness, registerHealthRoutes } from './health';
import { createLogger } from './logger';
import { HttpMetrics, registerMetricsRoute } from './metrics';
import { RequestObserver } from './request-observer';
import type { Tracing } from './tracing/spans';
import { closesBeforeBodyIsRead, sendWhileDraining } from './unread-body';

/** Fastify errors whose own message says less than it could. */
const clearerMessages: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'content-type must be application/json',
};

/** Methods checked when a path exists but not for the request's method, to answer 405 with `allow`. */
const ROUTABLE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** What a service's app takes besides its configuration, from `runService` or a test: passed on to {@link createService}. */
export interface KitDeps {
  /** Logger to use. @default a JSON logger at `config.logLevel` (see `createLogger`) */
  readonly logger?: Logger;
  /** Records the service's spans (`runService` starts it when a trace backend is configured). @default undefined: no spans */
  readonly tracing?: Tracing;
}

/** What {@link createService} needs. */
export interface ServiceOptions extends KitDeps {
  /** Service name, used in logs and metric labels. */
  readonly name: string;
  /** The common settings read by `readBaseConfig`. */
  readonly config: BaseConfig;
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
  /** Records spans, when the service was given a tracer: pass it to the service's `UpstreamClient`s. */
  readonly tracing?: Tracing;
}

/**
 * Creates a Fastify app with everything the platform expects of a service already wired: request ids from
 * `x-request-id` (generated when absent; logged as `reqId`), `x-service-version` on every response, one JSON log
 * line and metrics per request (see RequestObserver), a server span per request when given `tracing`, `/healthz`,
 * `/readyz`, `/metrics`, and `{ error, message }` bodies for every error and unknown route (405 with `allow` when the
 * path exists for other methods). Bodies are validated without type coercion, so `"12"` is not accepted as a number.
 */
export function createService(options: ServiceOptions): Service {
  const { name, config } = options;
  const readiness = new Readiness();
  const metrics = new HttpMetrics({
    service: name,
    version: config.serviceVersion,
    processMetrics: options.processMetrics,
  });
  const logger =
    options.logger ?? createLogger({ service: name, version: config.serviceVersion, level: config.logLevel });
  // Probes and scrapes log only warnings, without a request id: one shared logger instead of a child per request.
  const probeLogger = logger.child({}, { level: PROBE_LOG_LEVEL });
  const observer = new RequestObserver({ version: config.serviceVersion, readiness, metrics, tracing: options.tracing });
  const app = Fastify({
    // No `loggerInstance`: given one, Fastify times every response for its own log line (two listeners added and
    // removed, two clock reads), which the observer does anyway; about 1 µs per request (README.md, "Sample
    // services"). Requests still get their logger, with `reqId`, from this factory, and `app.log` is set below.
    childLoggerFactory: (_parent, bindings, childOptions) =>
      childOptions.level === PROBE_LOG_LEVEL ? probeLogger : logger.child(bindings, childOptions),
    logController: observer,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ajv: { customOptions: { coerceTypes: false } },
    // Errors Fastify raises before routing (an undecodable URL, a path parameter over 100 characters): without this,
    // it answers them itself, bypassing the error format.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const statusCode = error.statusCode ?? 400;
      return reply.code(statusCode).send(errorBody(statusCode, error.message));
    },
  }) as unknown as FastifyInstance;
  // Fastify's own lines (`Server listening at ...`) and the services' go to the real logger.
  app.log = logger;
  // Fastify parses text/plain by default; this API takes JSON only, so text gets the same 415 as any other type
  // instead of a misleading `body must be object`.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    const internal = statusCode >= 500 && !(error instanceof HttpError);
    if (internal) request.log.error({ err: error }, 'request failed');
    else if (statusCode >= 500) request.log.warn({ err: error }, 'dependency failed');
    // A 5xx keeps its details (a database host, a service's answer) in the log: the caller gets a generic message.
    const message = publicMessage(internal ? 500 : statusCode, clearerMessages[error.code] ?? error.message);
    reply.code(statusCode);
    // A 413 for a body over the limit: the client is likely still sending it and must still read the answer.
    if (closesBeforeBodyIsRead(request.raw, reply)) return sendWhileDraining(reply, errorBody(statusCode, message));
    return reply.send(errorBody(statusCode, message));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = ROUTABLE_METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
    if (allowed.length === 0) return reply.code(404).send(errorBody(404, `route ${request.method} ${path} not found`));
    return reply
      .code(405)
      .header('allow', allowed.join(', '))
      .send(errorBody(405, `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`));
  });

  registerHealthRoutes(app, readiness);
  registerMetricsRoute(app, metrics);
  return { app, readiness, registry: metrics.registry, tracing: options.tracing };
}
