import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Readiness } from './health';
import type { HttpMetrics } from './metrics';

/** What {@link RequestObserver} needs. */
export interface RequestObserverOptions {
  /** Sent as `x-service-version` on every response. */
  readonly version: string;
  /** Once unready (shutting down), connections are closed after their response. */
  readonly readiness: Readiness;
  /** Where each finished request is counted and timed. */
  readonly metrics: HttpMetrics;
}

/**
 * The kit's per-request work, done from Fastify's LogController, which Fastify calls at the start and at the end of
 * every request (routed, 404 and error alike) without the cost of running hooks (see the benchmark in
 * README.md, "Sample services"):
 * - start: `x-service-version` on the response; once shutdown started, `connection: close` as well;
 * - end: metrics, and one log line per request (Fastify writes two) naming the route template and the status.
 *   It logs through the request's logger, so routes registered with `logLevel: 'warn'` (probes, metrics) stay
 *   silent at the default `info`: a probe every few seconds per pod is noise, and every line costs throughput.
 */
export class RequestObserver extends LogController {
  /** @param options version, readiness and metrics */
  constructor(private readonly options: RequestObserverOptions) {
    super();
  }

  override incomingRequest(_request: FastifyRequest, reply: FastifyReply): void {
    reply.header('x-service-version', this.options.version);
    if (!this.options.readiness.ready) reply.header('connection', 'close');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url;
    this.options.metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    // A request that began before shutdown was answered keep-alive; close its now idle connection, or it would hold
    // the listener open until its keep-alive timeout and the drain would never finish.
    // (`end` is optional: the sockets of Fastify's inject have none.)
    if (!this.options.readiness.ready) request.raw.socket?.end?.();
    // Probes log at warn: skip building a line nobody will write.
    if (!error && !(reply.log as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled('info')) return;
    const line = {
      method: request.method,
      url: request.url,
      route,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
