import type { FastifyInstance } from 'fastify';
import { errorBodySchema } from '../../kit/errors';
import type { UserHandler } from './handler';
import type { NewUser } from './model';

const userSchema = {
  type: 'object',
  required: ['id', 'name', 'email', 'createdAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const registerSchema = {
  body: {
    type: 'object',
    required: ['name', 'email'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
      email: { type: 'string', format: 'email', maxLength: 254 },
    },
  },
  response: { 201: userSchema, 409: errorBodySchema },
} as const;

const getSchema = {
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } },
  response: { 200: userSchema, 404: errorBodySchema },
} as const;

/**
 * Public paths come through the ingress gateway, which rewrites `/api/users` to `/users`; so registration is served
 * both at `/register` (in-mesh callers) and at `/users/register` (`/api/users/register` from outside).
 */
export const REGISTER_PATHS = ['/register', '/users/register'] as const;

/** Maps user-service's paths to the handler. */
export function registerUserRoutes(app: FastifyInstance, handler: UserHandler): void {
  for (const path of REGISTER_PATHS) app.post<{ Body: NewUser }>(path, { schema: registerSchema }, handler.register);
  app.get<{ Params: { id: string } }>('/users/:id', { schema: getSchema }, handler.get);
}
