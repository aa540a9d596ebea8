import type { FastifyInstance } from 'fastify';
import { errorBody, errorBodySchema } from './errors';

/** Whether the instance should receive traffic; flipped to unready once shutdown starts. */
export class Readiness {
  private shuttingDown = false;

  /** True until {@link Readiness.startShutdown} is called. */
  get ready(): boolean {
    return !this.shuttingDown;
  }

  /** Marks the instance unready for good: `/readyz` answers 503 from now on. */
  startShutdown(): void {
    this.shuttingDown = true;
  }
}

const statusSchema = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } as const;

/** Routes that only probes and scrapers call: logged at `warn` so they do not flood the logs at `info`. */
export const PROBE_LOG_LEVEL = 'warn';

/**
 * `GET /healthz` (liveness: the event loop answers) and `GET /readyz` (readiness: 503 once shutdown starts).
 * Readiness deliberately ignores dependencies: a slow upstream must not take every caller out of the load balancer.
 */
export function registerHealthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get(
    '/healthz',
    { logLevel: PROBE_LOG_LEVEL, schema: { response: { 200: statusSchema } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    { logLevel: PROBE_LOG_LEVEL, schema: { response: { 200: statusSchema, 503: errorBodySchema } } },
    async (_request, reply) => {
      if (readiness.ready) return { status: 'ready' };
      return reply.code(503).send(errorBody(503, 'shutting down'));
    },
  );
}
