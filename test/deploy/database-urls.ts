/** Database URLs as `pulumi config set --secret --path 'databases["<service>"].url'` would store them, for tests. */
import type { DatabaseUrls } from '../../src/deploy/config';
import { imageReferences } from '../../src/images/index';
import { synthesizePlatform } from '../../src/platform';
import type { EnvironmentName } from '../../src/description/types';

/**
 * One URL per service with a database, on the environment's external server (none where the server is in-cluster),
 * with a password that tests check never leaks.
 */
export function exampleDatabaseUrls(environment: EnvironmentName): DatabaseUrls {
  const { spec } = synthesizePlatform(environment, { images: imageReferences('registry.test/shop') });
  const server = spec.postgres;
  if (server?.location !== 'external') return {};
  return Object.fromEntries(spec.services.filter((s) => s.database).map(({ name, database }) => [
    name, { url: `postgres://${database!.name}:pw-do-not-print@${server.host}:${server.port}/${database!.name}?sslmode=verify-full` },
  ]));
}
