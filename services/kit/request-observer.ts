import { performance } from 'node:perf_hooks';
import type { Span } from '@opentelemetry/api';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { PROBE_LOG_LEVEL, type Readiness } from './health';
import type { HttpMetrics } from './metrics';
import { setServerSpan } from './trace';
import type { Tracing } from './tracing/spans';

/** Status recorded for a request whose client closed the connection before the response was sent (as nginx does). */
export const CLIENT_CLOSED_REQUEST = 499;

/** What {@link RequestObserver} needs. */
export interface RequestObserverOptions {
  /** Sent as `x-service-version` on every response. */
  readonly version: string;
  /** Once unready (shutting down), connections are closed after their response. */
  readonly readiness: Readiness;
  /** Where each finished request is counted and timed. */
  readonly metrics: HttpMetrics;
  /** Records a server span per request, when a trace backend is configured. @default undefined: no spans */
  readonly tracing?: Tracing;
}

type LevelAware = { isLevelEnabled(level: string): boolean };

/**
 * The kit's per-request work. Fastify calls `incomingRequest` for every request (routed, 404 and framework errors
 * alike) without the cost of running hooks; there the observer stamps `x-service-version` (and, once shutdown
 * started, `connection: close`) and starts timing. When the response closes it records the metrics and writes one log
 * line naming the route template, the status and the time (Fastify would write two).
 *
 * The observer times responses itself, with one `close` listener, because the kit gives Fastify no logger of its own
 * (see `createService`): Fastify then skips its per-response bookkeeping (two listeners added and removed, two clock
 * reads), about 1 µs of CPU per request (README.md, "Sample services", Benchmark). Fastify still calls
 * `requestCompleted` for routes with `onResponse` hooks, so it does nothing here.
 *
 * Lines go through the request's logger, so routes registered with `logLevel: 'warn'` (probes, metrics) stay silent
 * at the default `info`: a probe every few seconds per pod is noise, and every line costs throughput.
 */
export class RequestObserver extends LogController {
  /** @param options version, readiness, metrics and tracing */
  constructor(private readonly options: RequestObserverOptions) {
    super();
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    reply.header('x-service-version', this.options.version);
    if (!this.options.readiness.ready) reply.header('connection', 'close');
    const start = performance.now();
    // Probes and scrapes (the routes that log at warn) are not traced: every few seconds per pod, they are noise.
    const { tracing } = this.options;
    const span = tracing && request.routeOptions.logLevel !== PROBE_LOG_LEVEL ? this.startSpan(request, reply, tracing) : undefined;
    // `on`, not `once`: a response closes once, and `once` costs a wrapper per request.
    reply.raw.on('close', () => this.responseClosed(request, reply, start, span));
  }

  override requestCompleted(): void {
    // Observed in `responseClosed` instead.
  }

  /** Starts the request's server span and puts its trace id on every log line of the request. */
  private startSpan(request: FastifyRequest, reply: FastifyReply, tracing: Tracing): Span {
    const span = tracing.startServerSpan(request.method, request.url, request.headers);
    setServerSpan(request, span, tracing);
    request.log = reply.log = request.log.child({ traceId: span.spanContext().traceId });
    return span;
  }

  private responseClosed(request: FastifyRequest, reply: FastifyReply, start: number, span: Span | undefined): void {
    const milliseconds = performance.now() - start;
    const sent = reply.raw.writableEnded;
    const statusCode = sent ? reply.statusCode : CLIENT_CLOSED_REQUEST;
    const route = request.routeOptions.url;
    this.options.metrics.observe(request.method, route, statusCode, milliseconds / 1000);
    if (span) this.options.tracing?.endServerSpan(span, request.method, route, statusCode);
    // A request that began before shutdown was answered keep-alive; close its now idle connection, or it would hold
    // the listener open until its keep-alive timeout and the drain would never finish.
    // (`end` is optional: the sockets of Fastify's inject have none.)
    if (!this.options.readiness.ready) request.raw.socket?.end?.();
    const level = sent ? 'info' : 'warn';
    // Probes log at warn: skip building a line nobody will write.
    if (!(reply.log as unknown as LevelAware).isLevelEnabled(level)) return;
    const line = { method: request.method, url: request.url, route, statusCode, responseTimeMs: Math.round(milliseconds * 10) / 10 };
    if (sent) reply.log.info(line, 'request completed');
    else reply.log.warn(line, 'connection closed before the response was sent');
  }
}
