import type { BaseConfig } from './config';
import { ConfigError } from './config';
import type { Service } from './service';
import { gracefulShutdown } from './shutdown';
import type { Tracing } from './tracing/spans';

/** How a service's main starts it. */
export interface RunOptions<C extends BaseConfig> {
  /** Service name, used in the start-up error message. */
  readonly name: string;
  /** Reads and validates the environment; throws `ConfigError`. */
  readonly loadConfig: (env: NodeJS.ProcessEnv) => C;
  /**
   * Builds the app from the validated configuration; `tracing` (present when a trace backend is configured) goes to
   * `createService` and the service's `UpstreamClient`s.
   */
  readonly build: (config: C, tracing?: Tracing) => Service | Promise<Service>;
}

/**
 * Entry point shared by every service's main: validates the configuration (exit 1 with a message naming each bad
 * variable), starts OpenTelemetry's SDK when a trace backend is configured (and only then loads it), builds the app,
 * listens on `HOST:PORT`, and shuts down gracefully on SIGTERM and SIGINT (exporting the spans still buffered).
 */
export async function runService<C extends BaseConfig>(options: RunOptions<C>): Promise<void> {
  let config: C;
  try {
    config = options.loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${options.name}: ${error.message}\n`);
    process.exit(1);
  }
  const { tracing } = config;
  const sdk = tracing && (await import('./tracing/sdk')).startTracing(tracing, { name: options.name, version: config.serviceVersion });
  const { app, readiness } = await options.build(config, sdk?.tracing);
  if (sdk) {
    app.addHook('onClose', () => sdk.shutdown());
    sdk.logProblemsTo(app.log);
    app.log.info({ ...tracing }, 'tracing: exporting spans over OTLP');
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    app.log.fatal(
      { err: error, port: config.port, host: config.host },
      `cannot listen on HOST="${config.host}" PORT=${config.port} (${reason}): free the port or change HOST or PORT`,
    );
    process.exit(1);
  }
  const shutdown = gracefulShutdown({
    app,
    readiness,
    delayMs: config.shutdownDelayMs,
    timeoutMs: config.shutdownTimeoutMs,
    logger: app.log,
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));
}
