import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Fastify's per-request logging, reduced to one line per request (Fastify writes two) that names the route template
 * and the status. It logs through the request's logger, so routes registered with `logLevel: 'warn'` (probes,
 * metrics) stay silent at the default `info`: a probe every few seconds per pod is noise, and each line costs throughput.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {
    // Folded into requestCompleted.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: request.url,
      route: request.routeOptions.url,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
