/**
 * The local database server's credentials and init script, in `.local/<project>/` (gitignored, mode 0700): generated
 * on the first `npm run local -- --database`, kept while the project's data volume lives, removed by `down`. Nothing of
 * it reaches the Compose file but paths, and no password is ever printed.
 *
 * The files are mode 0644 inside the 0700 directory: they are bind-mounted into containers that run as other users
 * (PostgreSQL as 999, the services as 65532) and must be readable there; the directory keeps the machine's other
 * users out.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUPERUSER_PASSWORD_KEY } from '../constructs/postgres-server';
import type { DatabaseServer } from './database-server';

/** Where local state lives, relative to the repository root (in .gitignore). */
export const LOCAL_STATE_DIRECTORY = '.local';

/** The files of one project's database server. */
export interface DatabaseState {
  /** `.local/<project>`, absolute. */
  readonly directory: string;
  /** One password file per key of the server's Secret. */
  readonly passwords: string;
  /** The init script's directory. */
  readonly init: string;
  /** Per service: the file with its `postgres://` URL. */
  readonly urlFiles: Readonly<Record<string, string>>;
}

/** The paths of a project's state (nothing is written). */
export function databaseStatePaths(root: string, project: string, services: readonly string[]): DatabaseState {
  const directory = join(root, LOCAL_STATE_DIRECTORY, project);
  return {
    directory,
    passwords: join(directory, 'postgres-secret'),
    init: join(directory, 'postgres-init'),
    urlFiles: Object.fromEntries(services.map((service) => [service, join(directory, 'database-urls', `${service}.url`)])),
  };
}

const FILE_MODE = 0o644;

/** A password file's value, created (32 random bytes, hex) when absent: kept, so an existing data volume still matches. */
function password(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = randomBytes(32).toString('hex');
  writeFileSync(file, value, { mode: FILE_MODE });
  return value;
}

/**
 * Writes the passwords (kept when present), the init script (always rewritten: it holds none) and every service's URL
 * (`postgres://<role>:<password>@<server host>:<port>/<database>`, the role and database named alike, as the init
 * script creates them).
 * @param databases service name → its database name
 */
export function writeDatabaseState(state: DatabaseState, server: DatabaseServer, databases: Readonly<Record<string, string>>): void {
  for (const directory of [state.directory, state.passwords, state.init, join(state.directory, 'database-urls')]) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  }
  chmodSync(state.directory, 0o700);
  // The services' and the server's containers run as other users: the directories inside must be traversable.
  for (const directory of [state.passwords, state.init, join(state.directory, 'database-urls')]) chmodSync(directory, 0o755);
  password(join(state.passwords, SUPERUSER_PASSWORD_KEY));
  writeFileSync(join(state.init, server.initScript.file), server.initScript.text, { mode: 0o755 });
  chmodSync(join(state.init, server.initScript.file), 0o755);
  for (const [service, database] of Object.entries(databases)) {
    const secret = password(join(state.passwords, database));
    const file = state.urlFiles[service];
    if (!file) continue;
    const url = `postgres://${database}:${secret}@${server.server.host}:${server.server.port}/${database}`;
    writeFileSync(file, url, { mode: FILE_MODE });
    chmodSync(file, FILE_MODE);
  }
}

/** Removes a project's state (after `down -v` removed the data volume the passwords belong to). */
export function removeDatabaseState(root: string, project: string): void {
  rmSync(join(root, LOCAL_STATE_DIRECTORY, project), { recursive: true, force: true });
}
