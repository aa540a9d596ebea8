import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Readiness } from './health';

/** What {@link gracefulShutdown} drives. */
export interface ShutdownOptions {
  /** The app to close. */
  readonly app: FastifyInstance;
  /** Turned unready first. */
  readonly readiness: Readiness;
  /** Time to keep serving while unready (`SHUTDOWN_DELAY_MS`). */
  readonly delayMs: number;
  /** Budget for in-flight requests once the listener is closed (`SHUTDOWN_TIMEOUT_MS`). */
  readonly timeoutMs: number;
  /** Where progress is logged. */
  readonly logger: FastifyBaseLogger;
  /** Ends the process. @default process.exit */
  readonly exit?: (code: number) => void;
}

/**
 * Builds the shutdown sequence a Kubernetes rolling update needs:
 * 1. `/readyz` turns 503 at once, so the endpoint controller and Envoy stop sending new requests;
 * 2. the service keeps serving for `delayMs`, while that news propagates (the manifests use this instead of a
 *    `preStop: sleep`, since the distroless image has no shell);
 * 3. the listener closes (no new connections; new requests on kept-alive connections get 503) and in-flight requests
 *    finish; then the process exits 0, or 1 if they did not finish within `timeoutMs`.
 * @returns the sequence, to call on SIGTERM; later calls are ignored
 */
export function gracefulShutdown(options: ShutdownOptions): (signal: string) => Promise<void> {
  const { app, readiness, delayMs, timeoutMs, logger, exit = (code: number) => process.exit(code) } = options;
  let started = false;
  return async (signal) => {
    if (started) return;
    started = true;
    readiness.startShutdown();
    logger.info({ signal, delayMs, timeoutMs }, 'shutdown started: unready, still serving');
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    logger.info('closing the listener and draining in-flight requests');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'in-flight requests did not finish within SHUTDOWN_TIMEOUT_MS: exiting anyway');
      exit(1);
    }, timeoutMs);
    await app.close();
    clearTimeout(deadline);
    logger.info('shutdown complete');
    exit(0);
  };
}
