/**
 * The files of a new service, in the layout of the sample services on services/kit: `main` wires, `app` assembles,
 * `router` maps paths, `handler` translates HTTP into calls, `model` holds the types and the storage behind an
 * interface, `config` reads the environment; plus its HTTP tests. The placeholder resource is `/<resource>` (the name
 * without `-service`): `POST /<resource>` creates an item, `GET /<resource>/:id` reads it; `/healthz`, `/readyz` and
 * `/metrics` come from the kit.
 */
import { serviceUrlEnv } from '../description/names/workloads';

/** What the files are made from. */
export interface ServiceTemplate {
  /** Service name, e.g. `inventory-service`. */
  readonly name: string;
  /** Services it calls; their URLs are read from `<NAME>_URL`. */
  readonly calls: readonly string[];
}

/** `inventory-service` → `inventory`: the path the placeholder resource is served at. */
export function resourceOf(name: string): string {
  return name.replace(/-service$/, '') || name;
}

/** `inventory-service` → `InventoryService`. */
const pascal = (name: string) => name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
/** `payment-service` → `paymentServiceUrl`. */
const urlField = (callee: string) => `${pascal(callee).charAt(0).toLowerCase()}${pascal(callee).slice(1)}Url`;

/** Files to write, by path relative to the repository root. */
export function serviceFiles(template: ServiceTemplate): Record<string, string> {
  const { name, calls } = template;
  const type = pascal(name);
  const resource = resourceOf(name);
  const dir = `services/${name}/src`;
  return {
    [`${dir}/main.ts`]: `import { runService } from '../../kit/run';
import { build${type} } from './app';
import { loadConfig } from './config';

void runService({ name: '${name}', loadConfig, build: (config, tracing) => build${type}(config, { tracing }) });
`,
    [`${dir}/app.ts`]: `import { type KitDeps, type Service, createService } from '../../kit/service';
import type { ${type}Config } from './config';
import { ItemHandler } from './handler';
import { InMemoryItemRepository, type ItemRepository } from './model';
import { registerRoutes } from './router';

/** Replaceable parts of ${name} (tests pass their own). */
export interface ${type}Deps extends KitDeps {
  /** Storage. @default a new InMemoryItemRepository */
  readonly repository?: ItemRepository;
}

/** Assembles ${name}: the kit's app (health, metrics, errors), the repository, the handler and its routes. */
export function build${type}(config: ${type}Config, deps: ${type}Deps = {}): Service {
  const service = createService({ name: '${name}', config, logger: deps.logger, tracing: deps.tracing });
  registerRoutes(service.app, new ItemHandler(deps.repository ?? new InMemoryItemRepository()));
  return service;
}
`,
    [`${dir}/config.ts`]: `import { type BaseConfig, EnvReader, readBaseConfig } from '../../kit/config';

/** ${name} settings: the common ones (see \`BaseConfig\`)${calls.length > 0 ? ' and the URLs of the services it calls' : ''}. */
export interface ${type}Config extends BaseConfig {${calls.map((callee) => `
  /** \`${serviceUrlEnv(callee)}\`: base URL of ${callee} (the platform sets it). @default 'http://${callee}:8080' */
  readonly ${urlField(callee)}: string;`).join('')}
}

/** Reads and validates ${name}'s environment. @throws ConfigError naming every invalid variable */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ${type}Config {
  const reader = new EnvReader(env);
  return reader.done({
    ...readBaseConfig(reader),${calls.map((callee) => `
    ${urlField(callee)}: reader.url('${serviceUrlEnv(callee)}', 'http://${callee}:8080'),`).join('')}
  });
}
`,
    [`${dir}/model.ts`]: `import { randomUUID } from 'node:crypto';

/** An item: the placeholder resource of ${name}; replace it with the service's own. */
export interface Item {
  /** Assigned on creation (UUID). */
  readonly id: string;
  /** Name, as given. */
  readonly name: string;
  /** Creation time, ISO 8601. */
  readonly createdAt: string;
}

/** What a client sends to create an item. */
export interface NewItem {
  /** Name. */
  readonly name: string;
}

/** Storage of items. Swap the implementation for a database without touching handlers. */
export interface ItemRepository {
  /** Stores a new item with a fresh id. */
  create(item: NewItem): Promise<Item>;
  /** @returns the item, or undefined when no item has that id */
  findById(id: string): Promise<Item | undefined>;
}

/** Keeps items in process memory: lost on restart and not shared between replicas. */
export class InMemoryItemRepository implements ItemRepository {
  private readonly byId = new Map<string, Item>();

  async create(item: NewItem): Promise<Item> {
    const stored: Item = { id: randomUUID(), name: item.name, createdAt: new Date().toISOString() };
    this.byId.set(stored.id, stored);
    return stored;
  }

  async findById(id: string): Promise<Item | undefined> {
    return this.byId.get(id);
  }
}
`,
    [`${dir}/handler.ts`]: `import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../kit/errors';
import type { Item, ItemRepository, NewItem } from './model';

/** Translates ${name}'s HTTP requests (already validated by the route schemas) into repository calls. */
export class ItemHandler {
  /** @param items where items are stored */
  constructor(private readonly items: ItemRepository) {}

  /** \`POST /${resource}\`: 201 with the new item. */
  readonly create = async (request: FastifyRequest<{ Body: NewItem }>, reply: FastifyReply): Promise<Item> => {
    const item = await this.items.create({ name: request.body.name });
    reply.code(201);
    return item;
  };

  /** \`GET /${resource}/:id\`: the item, or 404. */
  readonly get = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<Item> => {
    const item = await this.items.findById(request.params.id);
    if (!item) throw new HttpError(404, \`item \${request.params.id} not found\`);
    return item;
  };
}
`,
    [`${dir}/router.ts`]: `import type { FastifyInstance } from 'fastify';
import { errorBodySchema } from '../../kit/errors';
import type { ItemHandler } from './handler';
import type { NewItem } from './model';

/** Where the resource is served; the gateway rewrites the exposed prefix (if any) to it. */
export const RESOURCE_PATH = '/${resource}';

const itemSchema = {
  type: 'object',
  required: ['id', 'name', 'createdAt'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' } },
} as const;

const createSchema = {
  body: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
  },
  response: { 201: itemSchema },
} as const;

const getSchema = {
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } },
  response: { 200: itemSchema, 404: errorBodySchema },
} as const;

/** Maps ${name}'s paths to the handler. */
export function registerRoutes(app: FastifyInstance, handler: ItemHandler): void {
  app.post<{ Body: NewItem }>(RESOURCE_PATH, { schema: createSchema }, handler.create);
  app.get<{ Params: { id: string } }>(\`\${RESOURCE_PATH}/:id\`, { schema: getSchema }, handler.get);
}
`,
    [`test/services/${name}/http.test.ts`]: `import { build${type} } from '../../../services/${name}/src/app';
import { loadConfig } from '../../../services/${name}/src/config';

function app() {
  return build${type}(loadConfig({ LOG_LEVEL: 'silent', SERVICE_VERSION: 'v1' })).app;
}

describe('${name} over HTTP', () => {
  it('creates an item and serves it back', async () => {
    const instance = app();
    const created = await instance.inject({ method: 'POST', url: '/${resource}', payload: { name: 'first' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers['x-service-version']).toBe('v1');
    const item = created.json();
    expect(item).toEqual({ id: expect.any(String), name: 'first', createdAt: expect.any(String) });
    const fetched = await instance.inject({ url: \`/${resource}/\${item.id}\` });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual(item);
  });

  it('answers an unknown item 404 and a malformed body 400, as JSON errors', async () => {
    const instance = app();
    const missing = await instance.inject({ url: '/${resource}/0b7a1c1e-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'Not Found', message: 'item 0b7a1c1e-0000-4000-8000-000000000000 not found' });
    const malformed = await instance.inject({ method: 'POST', url: '/${resource}', payload: { name: '' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({ error: 'Bad Request', message: 'body/name must NOT have fewer than 1 characters' });
  });

  it('is health-checked like every service of the platform', async () => {
    const instance = app();
    expect((await instance.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await instance.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await instance.inject({ url: '/metrics' })).statusCode).toBe(200);
  });
});
`,
  };
}
