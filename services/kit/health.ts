import type { FastifyInstance } from 'fastify';
import { errorBody, errorBodySchema } from './errors';

/** A dependency the instance cannot serve without: resolves to why it is unusable, or undefined when it is fine. */
export type ReadinessCheck = () => Promise<string | undefined>;

/**
 * Whether the instance should receive traffic: unready for good once shutdown starts, and unready for as long as a
 * dependency it owns (its database) fails its check.
 */
export class Readiness {
  private shuttingDown = false;
  private readonly checks: ReadinessCheck[] = [];

  /** True until {@link Readiness.startShutdown} is called. */
  get ready(): boolean {
    return !this.shuttingDown;
  }

  /** Marks the instance unready for good: `/readyz` answers 503 from now on. */
  startShutdown(): void {
    this.shuttingDown = true;
  }

  /** Adds a check that `/readyz` runs on every probe. */
  addCheck(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /** @returns why the instance is unready (shutdown first, then the first failing check), or undefined when ready */
  async unreadyReason(): Promise<string | undefined> {
    if (this.shuttingDown) return 'shutting down';
    for (const check of this.checks) {
      const reason = await check();
      if (reason !== undefined) return reason;
    }
    return undefined;
  }
}

const statusSchema = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } as const;

/** Routes that only probes and scrapers call: logged at `warn` so they do not flood the logs at `info`. */
export const PROBE_LOG_LEVEL = 'warn';

/**
 * `GET /healthz` (liveness: the event loop answers) and `GET /readyz` (readiness: 503 once shutdown starts, or while a
 * check fails, e.g. the service's own database is unreachable). Liveness never looks at dependencies, so an outage of
 * the database does not make Kubernetes restart every pod. Readiness ignores other services: a slow upstream must not
 * take every caller out of the load balancer.
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
      const reason = await readiness.unreadyReason();
      if (reason === undefined) return { status: 'ready' };
      return reply.code(503).send(errorBody(503, reason));
    },
  );
}
