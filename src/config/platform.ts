/**
 * The platform description: the one place to add a service, declare who calls whom, or expose a route.
 * Every field and its default is documented in `src/description/schema.ts`; environments override it in `environments.ts`.
 */
import type { PlatformDescription } from '../description/types';

export const platform: PlatformDescription = {
  name: 'shop',
  registry: 'registry.example.com/shop',
  // One PostgreSQL pod in the namespace (dev); staging and prod name external servers (docs/database.md).
  postgres: { location: 'in-cluster' },
  services: [
    {
      name: 'user-service',
      versions: [{ name: 'v1' }],
      expose: { prefix: '/api/users', rewrite: '/users' },
    },
    {
      name: 'order-service',
      versions: [{ name: 'v1' }, { name: 'v2' }],
      canary: { weights: { v1: 90, v2: 10 }, header: { name: 'x-canary', value: 'always', version: 'v2' } },
      calls: ['user-service', 'payment-service'],
      expose: { prefix: '/api/orders', rewrite: '/orders', requireJwt: true },
      config: { UPSTREAM_TIMEOUT_MS: '2000' },
      database: { engine: 'postgres' },
      // Above the upstream timeout, so order-service answers 504 itself before the mesh gives up.
      traffic: { timeout: '5s' },
    },
    {
      name: 'payment-service',
      versions: [{ name: 'v1' }],
      config: { FAILURE_RATE: '0', LATENCY_MS: '0' },
      secrets: [{ key: 'provider-api-key', env: 'PAYMENT_PROVIDER_API_KEY' }],
      database: { engine: 'postgres' },
    },
  ],
};
