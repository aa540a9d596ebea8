import type { ChargeRequest, ProviderMode } from './model';

/** The provider declined to process the charge (simulated outage); nothing was charged. */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

/** Where money actually moves. */
export interface PaymentProvider {
  /** Sandbox or live. */
  readonly mode: ProviderMode;
  /**
   * Charges once.
   * @param idempotencyKey sent along, so the provider itself answers a repeated key with the first charge
   * @throws ProviderUnavailableError when the charge could not be made
   */
  charge(request: ChargeRequest, idempotencyKey: string): Promise<void>;
}

/** Behaviour of {@link SimulatedProvider}. */
export interface SimulatedProviderOptions {
  /** Delay before answering (`LATENCY_MS`). */
  readonly latencyMs: number;
  /** Share of charges that fail, 0..1 (`FAILURE_RATE`). */
  readonly failureRate: number;
  /** Sandbox without an API key, live with one. */
  readonly mode: ProviderMode;
  /** Source of randomness in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * A stand-in payment provider with configurable latency and failure rate, so the mesh's timeouts, retries and
 * circuit breaking can be shown against it. Failures happen before money moves, so they are safe to retry.
 */
export class SimulatedProvider implements PaymentProvider {
  readonly mode: ProviderMode;

  /** @param options latency, failure rate, mode */
  constructor(private readonly options: SimulatedProviderOptions) {
    this.mode = options.mode;
  }

  async charge(): Promise<void> {
    if (this.options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    if ((this.options.random ?? Math.random)() < this.options.failureRate) {
      throw new ProviderUnavailableError(
        `payment provider unavailable (simulated failure, FAILURE_RATE=${this.options.failureRate})`,
      );
    }
  }
}
