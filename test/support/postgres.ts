import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './ports';
import { testPostgres } from './postgres-binaries';

/** The database superuser's password in test clusters (never reused anywhere): tests check it is never logged. */
export const TEST_PASSWORD = 'pg-test-secret-7f3a';

/** A throwaway PostgreSQL server on a loopback port, owned by the test that started it. */
export interface TestPostgres {
  /** Major version, e.g. `15`. */
  readonly version: string;
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /** The postgres process id (stopped by it). */
  readonly pid: number;
  /** Creates a database and returns its `postgres://` URL (with the superuser's password). */
  createDatabase(name: string): Promise<string>;
  /** Runs one statement as the superuser in a database (for assertions). */
  query<R = Record<string, unknown>>(database: string, text: string, values?: unknown[]): Promise<R[]>;
  /** Stops the server (fast shutdown, by pid) and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * postgres refuses to run as root: as root (CI), run its binaries as the `postgres` user the package creates (or
 * `nobody`), through setpriv, which execs the binary in place, so the pid we hold is the server's own.
 */
function unprivileged(): { prefix: string[]; user?: { name: string; uid: number; gid: number } } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const user = idOf('postgres') ?? idOf('nobody');
  if (!user) throw new Error('running as root, but neither the postgres nor the nobody user exists to run PostgreSQL as');
  return { prefix: ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'], user };
}

function idOf(name: string): { name: string; uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { name, uid, gid };
  } catch {
    return undefined;
  }
}

async function waitUntilAccepting(port: number, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode} before accepting connections:\n${output()}`);
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: TEST_PASSWORD, database: 'postgres' });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        throw new Error(`postgres did not accept connections within 20 s (${String(error)}):\n${output()}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * initdb into a temporary directory (password authentication, so URLs carry a password), then postgres on a free
 * port of 127.0.0.1 only, its socket in that directory. Durability settings are off: the tests kill services,
 * never this server.
 * The system's PostgreSQL or the embedded one: test/support/postgres-binaries.ts chooses.
 * @throws Error naming the fix when no PostgreSQL is installed or initdb fails
 */
export async function startPostgres(): Promise<TestPostgres> {
  const { bin, major } = testPostgres();
  const { prefix, user } = unprivileged();
  const root = mkdtempSync(join(tmpdir(), 'mesh-pg-'));
  const data = join(root, 'data');
  const passwordFile = join(root, 'password');
  writeFileSync(passwordFile, `${TEST_PASSWORD}\n`);
  if (user) {
    chownSync(root, user.uid, user.gid);
    chownSync(passwordFile, user.uid, user.gid);
  }
  const run = (command: string, args: string[]) => [...prefix, join(bin, command), ...args];
  const initdb = run('initdb', ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--no-sync']);
  try {
    execFileSync(initdb[0], initdb.slice(1), { stdio: 'pipe' });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    // As root, a binary under a directory only root may enter (a clone under /root) cannot run as the server's user.
    const asUser = user ? ` (as the ${user.name} user: it must be able to reach ${bin})` : '';
    throw new Error(`initdb failed${asUser}: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`, { cause: error });
  }

  const port = await freePort();
  const settings = ['listen_addresses=127.0.0.1', `port=${port}`, `unix_socket_directories=${root}`, 'fsync=off',
    'synchronous_commit=off', 'full_page_writes=off', 'max_connections=200'];
  const command = run('postgres', ['-D', data, ...settings.flatMap((setting) => ['-c', setting])]);
  const server = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    await waitUntilAccepting(port, server, () => output);
  } catch (error) {
    server.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw error;
  }

  const connect = async (database: string) => {
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: TEST_PASSWORD, database });
    await client.connect();
    return client;
  };
  return {
    version: major,
    port,
    pid: server.pid!,
    async createDatabase(name) {
      const client = await connect('postgres');
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:${port}/${name}`;
    },
    async query<R>(database: string, text: string, values?: unknown[]) {
      const client = await connect(database);
      try {
        return (await client.query(text, values)).rows as R[];
      } finally {
        await client.end();
      }
    },
    async stop() {
      // SIGINT is postgres's "fast" shutdown: roll back open transactions, disconnect clients, exit.
      if (server.exitCode === null) process.kill(server.pid!, 'SIGINT');
      await exited;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
