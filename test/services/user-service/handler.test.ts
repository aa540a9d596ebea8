import type { FastifyRequest } from 'fastify';
import { UserHandler } from '../../../services/user-service/src/handler';
import { InMemoryUserRepository } from '../../../services/user-service/src/model';
import { recordingReply } from '../helpers/reply';

const request = <T>(parts: T) => parts as unknown as FastifyRequest<never> & T;

describe('UserHandler', () => {
  it('registers a user with a fresh id and answers 201', async () => {
    const handler = new UserHandler(new InMemoryUserRepository());
    const recorded = recordingReply();
    const user = await handler.register(request({ body: { name: 'Ann', email: 'ann@example.com' } }), recorded.reply);
    expect(recorded.statusCode).toBe(201);
    expect(user).toMatchObject({ name: 'Ann', email: 'ann@example.com' });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await handler.get(request({ params: { id: user.id } }))).toEqual(user);
  });

  it('refuses a second registration of the same email, ignoring case, with 409', async () => {
    const handler = new UserHandler(new InMemoryUserRepository());
    await handler.register(request({ body: { name: 'Ann', email: 'ann@example.com' } }), recordingReply().reply);
    await expect(
      handler.register(request({ body: { name: 'Other Ann', email: 'ANN@example.com' } }), recordingReply().reply),
    ).rejects.toMatchObject({ statusCode: 409, message: 'a user with email ANN@example.com already exists' });
  });

  it('answers 404 for an unknown id', async () => {
    const handler = new UserHandler(new InMemoryUserRepository());
    await expect(handler.get(request({ params: { id: 'nope' } }))).rejects.toMatchObject({
      statusCode: 404,
      message: 'user nope not found',
    });
  });
});
