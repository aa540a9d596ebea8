import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../kit/errors';
import { fromCents, invalidAmountMessage, toCents } from '../../kit/money';
import { IdempotencyConflictError, KeyInFlightError, type Payment } from './model';
import type { PaymentProcessor } from './processor';
import { ProviderUnavailableError } from './provider';

/** Body of `POST /payments`. */
export interface ChargeBody {
  /** The order paid for. */
  readonly orderId: string;
  /** Decimal amount, > 0, at most 2 decimals. */
  readonly amount: number;
  /** ISO 4217 code. */
  readonly currency: string;
}

/** Headers of `POST /payments`. */
export interface ChargeHeaders {
  /** Same key, same result: retries never charge twice. */
  readonly 'idempotency-key': string;
}

/** Query of `GET /payments`. */
export interface KeyQuery {
  /** The `Idempotency-Key` the payment was created under. */
  readonly idempotencyKey: string;
}

/** A payment as the API shows it: the amount as a decimal number. */
export type PaymentView = Omit<Payment, 'amountCents'> & { readonly amount: number };

/** Converts a stored payment to its API form. */
export function toPaymentView({ amountCents, ...rest }: Payment): PaymentView {
  return { ...rest, amount: fromCents(amountCents) };
}

/** Translates payment-service's HTTP requests (validated by the route schemas) into processor calls. */
export class PaymentHandler {
  /** @param processor charges at most once per idempotency key */
  constructor(private readonly processor: PaymentProcessor) {}

  /**
   * `POST /payments`: 201 with the payment, also for a replayed key (header `idempotent-replayed: true`);
   * 400 for a bad amount, 422 for a key reused with a different charge, 409 while another replica's charge with the
   * key outlasts `IDEMPOTENCY_WAIT_MS`, 503 when the provider or the database fails (retry safely with the same key).
   */
  readonly create = async (
    request: FastifyRequest<{ Body: ChargeBody; Headers: ChargeHeaders }>,
    reply: FastifyReply,
  ): Promise<PaymentView> => {
    const { orderId, amount, currency } = request.body;
    const amountCents = toCents(amount);
    if (amountCents === undefined) throw new HttpError(400, invalidAmountMessage('body/amount'));
    try {
      const result = await this.processor.charge(request.headers['idempotency-key'], { orderId, amountCents, currency });
      if (!result.replayed) request.log.info({ paymentId: result.payment.id, orderId }, 'payment charged');
      reply.code(201).header('idempotent-replayed', String(result.replayed));
      return toPaymentView(result.payment);
    } catch (error) {
      if (error instanceof IdempotencyConflictError) throw new HttpError(422, error.message);
      if (error instanceof KeyInFlightError) throw new HttpError(409, error.message);
      if (error instanceof ProviderUnavailableError) throw new HttpError(503, error.message);
      throw error;
    }
  };

  /**
   * `GET /payments?idempotencyKey=`: the payment made under that key, or 404 (none, or its charge is still in flight).
   * order-service settles orders whose charge outlived its deadline this way, without charging again.
   */
  readonly findByKey = async (request: FastifyRequest<{ Querystring: KeyQuery }>): Promise<PaymentView> => {
    const payment = await this.processor.findByKey(request.query.idempotencyKey);
    if (!payment) throw new HttpError(404, `no payment with Idempotency-Key ${request.query.idempotencyKey}`);
    return toPaymentView(payment);
  };

  /** `GET /payments/:id`: the payment, or 404. */
  readonly get = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<PaymentView> => {
    const payment = await this.processor.find(request.params.id);
    if (!payment) throw new HttpError(404, `payment ${request.params.id} not found`);
    return toPaymentView(payment);
  };
}
