import { IdempotencyConflictError, InMemoryPaymentRepository } from '../../../services/payment-service/src/model';
import { PaymentProcessor } from '../../../services/payment-service/src/processor';
import { ProviderUnavailableError, SimulatedProvider } from '../../../services/payment-service/src/provider';
import { CountingProvider } from './fakes';

const charge = { orderId: 'order-1', amountCents: 1999, currency: 'EUR' };

describe('PaymentProcessor', () => {
  it('charges once for 20 concurrent requests with the same key, and all get the same payment', async () => {
    const provider = new CountingProvider(30);
    const processor = new PaymentProcessor(new InMemoryPaymentRepository(), provider);
    const results = await Promise.all(Array.from({ length: 20 }, () => processor.charge('key-1', charge)));
    expect(provider.charges).toHaveLength(1);
    expect(new Set(results.map((result) => result.payment.id)).size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    // A later retry is served from storage.
    const later = await processor.charge('key-1', charge);
    expect(later).toEqual({ payment: results[0].payment, replayed: true });
    expect(provider.charges).toHaveLength(1);
  });

  it('charges separately for different keys', async () => {
    const provider = new CountingProvider();
    const processor = new PaymentProcessor(new InMemoryPaymentRepository(), provider);
    const [a, b] = await Promise.all([processor.charge('a', charge), processor.charge('b', charge)]);
    expect(a.payment.id).not.toBe(b.payment.id);
    expect(provider.charges).toHaveLength(2);
  });

  it('refuses a key reused for a different charge, in flight or stored', async () => {
    const processor = new PaymentProcessor(new InMemoryPaymentRepository(), new CountingProvider(20));
    const first = processor.charge('key', charge);
    await expect(processor.charge('key', { ...charge, amountCents: 1 })).rejects.toBeInstanceOf(IdempotencyConflictError);
    await first;
    await expect(processor.charge('key', { ...charge, currency: 'USD' })).rejects.toThrow(
      'Idempotency-Key key was already used for a different charge: use a new key',
    );
  });

  it('does not remember a failed charge, so a retry with the same key charges', async () => {
    const provider = new CountingProvider(0, 1);
    const processor = new PaymentProcessor(new InMemoryPaymentRepository(), provider);
    await expect(processor.charge('key', charge)).rejects.toBeInstanceOf(ProviderUnavailableError);
    const retry = await processor.charge('key', charge);
    expect(retry.replayed).toBe(false);
    expect(provider.charges).toHaveLength(1);
    expect(await processor.find(retry.payment.id)).toEqual(retry.payment);
  });
});

describe('SimulatedProvider', () => {
  it('fails when the random draw is below FAILURE_RATE and waits LATENCY_MS', async () => {
    const failing = new SimulatedProvider({ latencyMs: 0, failureRate: 0.3, mode: 'sandbox', random: () => 0.29 });
    await expect(failing.charge()).rejects.toThrow('payment provider unavailable (simulated failure, FAILURE_RATE=0.3)');
    const passing = new SimulatedProvider({ latencyMs: 50, failureRate: 0.3, mode: 'sandbox', random: () => 0.3 });
    const started = performance.now();
    await expect(passing.charge()).resolves.toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});
