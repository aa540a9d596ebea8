import pino from 'pino';
import { type Order, InMemoryOrderRepository, retryDelayMs } from '../../../services/order-service/src/model';
import { Reconciler } from '../../../services/order-service/src/reconciler';
import type { ChargeOutcome, LookupOutcome, PaymentCharger } from '../../../services/order-service/src/upstream';

const pending = (id: string): Order => ({
  id,
  userId: 'u1',
  items: [{ sku: 'a', quantity: 2, priceCents: 150 }],
  totalCents: 300,
  currency: 'EUR',
  status: 'pending',
  createdAt: new Date().toISOString(),
});

/** payment-service answering from fixed outcomes, recording what was asked. */
function payments(lookup: LookupOutcome, charge: ChargeOutcome) {
  const asked = { lookups: [] as string[], charges: [] as { orderId: string; amount: number }[] };
  const charger: PaymentCharger = {
    findByKey: async (orderId) => {
      asked.lookups.push(orderId);
      return lookup;
    },
    charge: async (orderId, amount) => {
      asked.charges.push({ orderId, amount });
      return charge;
    },
  };
  return { charger, asked };
}

async function reconcile(lookup: LookupOutcome, charge: ChargeOutcome) {
  const orders = new InMemoryOrderRepository();
  await orders.create(pending('o1'), 0);
  const { charger, asked } = payments(lookup, charge);
  const reconciler = new Reconciler({ orders, payments: charger, intervalMs: 1000, timeoutMs: 500, logger: pino({ level: 'silent' }) });
  const settled = await reconciler.runOnce();
  return { orders, asked, settled, reconciler };
}

describe('Reconciler', () => {
  it('settles a pending order as paid from the payment found by its key, without charging again', async () => {
    const { orders, asked, settled } = await reconcile({ status: 'paid', paymentId: 'pay-1' }, { status: 'unknown', reason: 'unused' });
    expect(settled).toBe(1);
    expect(asked).toEqual({ lookups: ['o1'], charges: [] });
    expect(await orders.findById('o1')).toMatchObject({ status: 'paid', paymentId: 'pay-1' });
  });

  it('charges again with the same key and amount when payment-service has no payment for it', async () => {
    const { orders, asked } = await reconcile({ status: 'absent' }, { status: 'paid', paymentId: 'pay-2' });
    expect(asked.charges).toEqual([{ orderId: 'o1', amount: 3 }]);
    expect(await orders.findById('o1')).toMatchObject({ status: 'paid', paymentId: 'pay-2' });
  });

  it('marks payment_failed only on a definite refusal', async () => {
    const reason = 'payment-service answered 422: Idempotency-Key o1 was already used for a different charge: use a new key';
    const { orders } = await reconcile({ status: 'absent' }, { status: 'payment_failed', reason });
    expect(await orders.findById('o1')).toMatchObject({ status: 'payment_failed', failureReason: reason });
  });

  it('leaves the order pending when the result is unknown, and checks it again only after the retry delay', async () => {
    const { orders, settled, reconciler } = await reconcile({ status: 'unknown', reason: 'payment-service answered 503: x' }, { status: 'paid', paymentId: 'p' });
    expect(settled).toBe(0);
    expect(await orders.findById('o1')).toMatchObject({ status: 'pending' });
    expect(await reconciler.runOnce()).toBe(0);
    expect(await orders.claimDue(10, { baseMs: 1000, maxMs: 60_000 })).toEqual([]);
  });

  it('never changes a settled order', async () => {
    const orders = new InMemoryOrderRepository();
    await orders.create(pending('o1'), 0);
    await orders.settle('o1', { status: 'paid', paymentId: 'pay-1' });
    expect(await orders.settle('o1', { status: 'payment_failed', failureReason: 'late' })).toMatchObject({ status: 'paid' });
    expect(await orders.claimDue(10, { baseMs: 1, maxMs: 1 })).toEqual([]);
  });

  it('doubles the retry delay per attempt up to the maximum', () => {
    const policy = { baseMs: 1000, maxMs: 5000 };
    expect([0, 1, 2, 3, 50].map((attempts) => retryDelayMs(policy, attempts))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
