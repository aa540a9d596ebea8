import type { FastifyInstance } from 'fastify';
import { errorBodySchema } from '../../kit/errors';
import type { CreateOrderBody, OrderHandler } from './handler';

const itemSchema = {
  type: 'object',
  required: ['sku', 'quantity', 'price'],
  properties: {
    sku: { type: 'string', minLength: 1, maxLength: 64 },
    quantity: { type: 'integer', minimum: 1, maximum: 1000 },
    price: { type: 'number' },
  },
} as const;

const orderSchema = {
  type: 'object',
  required: ['id', 'userId', 'items', 'total', 'currency', 'status', 'createdAt'],
  properties: {
    id: { type: 'string' },
    userId: { type: 'string' },
    items: { type: 'array', items: itemSchema },
    total: { type: 'number' },
    currency: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'paid', 'payment_failed'] },
    paymentId: { type: 'string' },
    failureReason: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const createSchema = {
  body: {
    type: 'object',
    required: ['userId', 'items'],
    properties: {
      userId: { type: 'string', minLength: 1, maxLength: 100 },
      // Prices are checked for positivity and at most 2 decimals by the handler (on the digits, not with floats).
      items: { type: 'array', minItems: 1, maxItems: 100, items: itemSchema },
      currency: { type: 'string', pattern: '^[A-Z]{3}$', default: 'USD' },
    },
  },
  response: {
    201: orderSchema,
    202: orderSchema,
    400: errorBodySchema,
    422: errorBodySchema,
    503: errorBodySchema,
    504: errorBodySchema,
  },
} as const;

const getSchema = {
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } },
  response: { 200: orderSchema, 404: errorBodySchema },
} as const;

/** Maps order-service's paths to the handler; the gateway rewrites `/api/orders` to `/orders`. */
export function registerOrderRoutes(app: FastifyInstance, handler: OrderHandler): void {
  app.post<{ Body: CreateOrderBody }>('/orders', { schema: createSchema }, handler.create);
  app.get<{ Params: { id: string } }>('/orders/:id', { schema: getSchema }, handler.get);
}
