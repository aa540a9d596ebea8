import type { FastifyInstance } from 'fastify';
import { errorBodySchema } from '../../kit/errors';
import type { ChargeBody, ChargeHeaders, KeyQuery, PaymentHandler } from './handler';

const paymentSchema = {
  type: 'object',
  required: ['id', 'orderId', 'amount', 'currency', 'status', 'mode', 'createdAt'],
  properties: {
    id: { type: 'string' },
    orderId: { type: 'string' },
    amount: { type: 'number' },
    currency: { type: 'string' },
    status: { type: 'string' },
    mode: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const createSchema = {
  headers: {
    type: 'object',
    required: ['idempotency-key'],
    properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 255 } },
  },
  body: {
    type: 'object',
    required: ['orderId', 'amount', 'currency'],
    properties: {
      orderId: { type: 'string', minLength: 1, maxLength: 100 },
      // Positivity and the 2-decimal rule are checked on the digits by the handler: `multipleOf: 0.01` is float-unsafe.
      amount: { type: 'number' },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
  },
  response: { 201: paymentSchema, 400: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema, 503: errorBodySchema },
} as const;

const findByKeySchema = {
  querystring: {
    type: 'object',
    required: ['idempotencyKey'],
    properties: { idempotencyKey: { type: 'string', minLength: 1, maxLength: 255 } },
  },
  response: { 200: paymentSchema, 404: errorBodySchema, 503: errorBodySchema },
} as const;

const getSchema = {
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } },
  response: { 200: paymentSchema, 404: errorBodySchema },
} as const;

/** Maps payment-service's paths (internal only: the gateway exposes none of them) to the handler. */
export function registerPaymentRoutes(app: FastifyInstance, handler: PaymentHandler): void {
  app.post<{ Body: ChargeBody; Headers: ChargeHeaders }>('/payments', { schema: createSchema }, handler.create);
  app.get<{ Querystring: KeyQuery }>('/payments', { schema: findByKeySchema }, handler.findByKey);
  app.get<{ Params: { id: string } }>('/payments/:id', { schema: getSchema }, handler.get);
}
