import type { ChargeRequest } from '../../../services/payment-service/src/model';
import { type PaymentProvider, ProviderUnavailableError } from '../../../services/payment-service/src/provider';

/** A provider that records every charge it makes; optionally slow, optionally failing the first N charges. */
export class CountingProvider implements PaymentProvider {
  readonly mode = 'sandbox' as const;
  readonly charges: ChargeRequest[] = [];
  private failuresLeft: number;

  /**
   * @param latencyMs how long each charge takes
   * @param failFirst how many charges fail before the first success
   */
  constructor(
    private readonly latencyMs = 0,
    failFirst = 0,
  ) {
    this.failuresLeft = failFirst;
  }

  async charge(request: ChargeRequest): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new ProviderUnavailableError('provider down');
    }
    this.charges.push(request);
  }
}
