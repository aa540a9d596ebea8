import { type KitDeps, type Service, createService } from '../../kit/service';
import type { UserServiceConfig } from './config';
import { UserHandler } from './handler';
import { InMemoryUserRepository, type UserRepository } from './model';
import { registerUserRoutes } from './router';

/** Replaceable parts of user-service (tests pass their own). */
export interface UserServiceDeps extends KitDeps {
  /** Storage. @default a new InMemoryUserRepository */
  readonly repository?: UserRepository;
}

/** Assembles user-service: the kit's app, the in-memory repository, the handler and its routes. */
export function buildUserService(config: UserServiceConfig, deps: UserServiceDeps = {}): Service {
  const service = createService({ name: 'user-service', config, logger: deps.logger, tracing: deps.tracing });
  registerUserRoutes(service.app, new UserHandler(deps.repository ?? new InMemoryUserRepository()));
  return service;
}
