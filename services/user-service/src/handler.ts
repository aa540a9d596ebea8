import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../kit/errors';
import { DuplicateEmailError, type NewUser, type User, type UserRepository } from './model';

/** Translates user-service's HTTP requests (already validated by the route schemas) into repository calls. */
export class UserHandler {
  /** @param users where users are stored */
  constructor(private readonly users: UserRepository) {}

  /** `POST /register`: 201 with the new user; 409 when the email is taken. */
  readonly register = async (request: FastifyRequest<{ Body: NewUser }>, reply: FastifyReply): Promise<User> => {
    try {
      const user = await this.users.create({ name: request.body.name, email: request.body.email });
      reply.code(201);
      return user;
    } catch (error) {
      if (error instanceof DuplicateEmailError) throw new HttpError(409, error.message);
      throw error;
    }
  };

  /** `GET /users/:id`: the user, or 404. */
  readonly get = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<User> => {
    const user = await this.users.findById(request.params.id);
    if (!user) throw new HttpError(404, `user ${request.params.id} not found`);
    return user;
  };
}
