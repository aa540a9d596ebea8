import { buildUserService } from '../../../services/user-service/src/app';
import { testConfig } from '../helpers/config';

function app() {
  return buildUserService(testConfig({ SERVICE_VERSION: 'v2' })).app;
}

const register = (instance: ReturnType<typeof app>, payload: unknown, url = '/register') =>
  instance.inject({ method: 'POST', url, payload: payload as object });

describe('user-service over HTTP', () => {
  it('registers at /register and at the gateway-rewritten /users/register, then serves GET /users/:id', async () => {
    const instance = app();
    const first = await register(instance, { name: 'Ann', email: 'ann@example.com' });
    expect(first.statusCode).toBe(201);
    expect(first.headers['x-service-version']).toBe('v2');
    const ann = first.json();
    expect(Object.keys(ann).sort()).toEqual(['createdAt', 'email', 'id', 'name']);

    const second = await register(instance, { name: 'Bob', email: 'bob@example.com' }, '/users/register');
    expect(second.statusCode).toBe(201);
    expect(second.json().id).not.toBe(ann.id);

    const fetched = await instance.inject({ url: `/users/${ann.id}` });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual(ann);
  });

  it('answers 409 for a duplicate email and 404 for an unknown user, as JSON errors', async () => {
    const instance = app();
    await register(instance, { name: 'Ann', email: 'ann@example.com' });
    const duplicate = await register(instance, { name: 'Ann', email: 'Ann@Example.com' }, '/users/register');
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toEqual({ error: 'Conflict', message: 'a user with email Ann@Example.com already exists' });

    const missing = await instance.inject({ url: '/users/0b7a1c1e-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: 'Not Found',
      message: 'user 0b7a1c1e-0000-4000-8000-000000000000 not found',
    });
  });

  it.each([
    [{ name: 'Ann' }, "body must have required property 'email'"],
    [{ email: 'ann@example.com' }, "body must have required property 'name'"],
    [{ name: 'Ann', email: 'not-an-email' }, 'body/email must match format "email"'],
    [{ name: '', email: 'ann@example.com' }, 'body/name must NOT have fewer than 1 characters'],
    [{ name: '   ', email: 'ann@example.com' }, 'body/name must match pattern "\\S"'],
    [{ name: 42, email: 'ann@example.com' }, 'body/name must be string'],
    [[], 'body must be object'],
    ['{"name":"Ann",', "Body is not valid JSON but content-type is set to 'application/json'"],
  ])('answers 400 with a JSON error for %j', async (payload, message) => {
    const instance = app();
    const response =
      typeof payload === 'string'
        ? await instance.inject({
            method: 'POST',
            url: '/register',
            payload,
            headers: { 'content-type': 'application/json' },
          })
        : await register(instance, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Bad Request', message });
  });

  it('does not store anything from a rejected request', async () => {
    const instance = app();
    await register(instance, { name: '', email: 'ann@example.com' });
    expect((await register(instance, { name: 'Ann', email: 'ann@example.com' })).statusCode).toBe(201);
  });

  it('answers unknown routes 404 and unsupported methods 405, with JSON errors', async () => {
    const unknown = await app().inject({ method: 'GET', url: '/accounts/1' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'Not Found', message: 'route GET /accounts/1 not found' });
    const deletion = await app().inject({ method: 'DELETE', url: '/users/1' });
    expect(deletion.statusCode).toBe(405);
    expect(deletion.headers.allow).toBe('GET, HEAD');
    expect(deletion.json()).toEqual({ error: 'Method Not Allowed', message: 'DELETE is not allowed on /users/1; use GET, HEAD' });
  });
});
