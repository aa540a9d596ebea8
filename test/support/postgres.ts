import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './ports';
import { type PostgresBinaries, testPostgres } from './postgres-binaries';
import { runDirectory } from './run-directory';

/** The database superuser's password in test clusters (never reused anywhere): tests check it is never logged. */
export const TEST_PASSWORD = 'pg-test-secret-7f3a';

/** A throwaway PostgreSQL server on a loopback port: the test file's own, or the run's shared one. */
export interface TestPostgres {
  /** Major version, e.g. `15`. */
  readonly version: string;
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /** The postgres process id. */
  readonly pid: number;
  /** Creates a database and returns its `postgres://` URL (with the superuser's password). */
  createDatabase(name: string): Promise<string>;
  /** Runs one statement as the superuser in a database created by {@link createDatabase} (for assertions). */
  query<R = Record<string, unknown>>(database: string, text: string, values?: unknown[]): Promise<R[]>;
  /**
   * Ends the test's use of the server: a server of its own is stopped (fast shutdown, by pid) and its data directory
   * removed; on the run's shared server, the test's databases are dropped.
   */
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

/** A running server, whoever started it. */
interface ServerInfo {
  readonly port: number;
  readonly pid: number;
  /** Its temporary directory: data directory, socket, password file and log. */
  readonly root: string;
  readonly binaries: PostgresBinaries;
}

/**
 * initdb into a temporary directory (password authentication, so URLs carry a password), then postgres on a free
 * port of 127.0.0.1 only, its socket in that directory. Durability settings are off: the tests kill services,
 * never this server. Its output goes to a log file in that directory (no pipe ties it to this process, so the run's
 * shared server outlives the jest worker that started it).
 * @throws Error naming the fix when no PostgreSQL is installed or initdb fails
 */
async function startServer(binaries: PostgresBinaries): Promise<ServerInfo & { exited: Promise<void> }> {
  const { bin } = binaries;
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
    'synchronous_commit=off', 'full_page_writes=off', 'max_connections=300'];
  const command = run('postgres', ['-D', data, ...settings.flatMap((setting) => ['-c', setting])]);
  const log = join(root, 'postgres.log');
  const logFd = openSync(log, 'a');
  const server = spawn(command[0], command.slice(1), { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  server.unref();
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const output = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  try {
    await waitUntilAccepting(port, server, output);
  } catch (error) {
    server.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return { port, pid: server.pid!, root, binaries, exited };
}

/**
 * Stops a server by pid (SIGINT, postgres's "fast" shutdown: roll back open transactions, disconnect clients, exit),
 * waits until it has removed its postmaster.pid (it may not be this process's child), then removes its directory.
 */
async function stopServer(server: Pick<ServerInfo, 'pid' | 'root'>): Promise<void> {
  try {
    process.kill(server.pid, 'SIGINT');
  } catch {
    // already gone
  }
  const pidFile = join(server.root, 'data', 'postmaster.pid');
  for (const deadline = Date.now() + 30_000; existsSync(pidFile) && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 50));
  rmSync(server.root, { recursive: true, force: true });
}

/** A client of one database of a server, as the superuser. */
async function connect(port: number, database: string): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: TEST_PASSWORD, database });
  await client.connect();
  return client;
}

/** Runs one statement as the superuser and returns its rows. */
async function run<R>(port: number, database: string, text: string, values?: unknown[]): Promise<R[]> {
  const client = await connect(port, database);
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

const urlOf = (port: number, database: string) => `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:${port}/${database}`;

/**
 * A server of its own for the calling test file: for tests that stop it (a database going away) or need a database
 * name nobody else uses. Others use {@link sharedPostgres}, which spares a server start per file.
 * The system's PostgreSQL or the embedded one: test/support/postgres-binaries.ts chooses.
 * @throws Error naming the fix when no PostgreSQL is installed or initdb fails
 */
export async function startPostgres(): Promise<TestPostgres> {
  const binaries = testPostgres();
  const server = await startServer(binaries);
  return {
    version: binaries.major,
    port: server.port,
    pid: server.pid,
    async createDatabase(name) {
      await run(server.port, 'postgres', `CREATE DATABASE "${name}"`);
      return urlOf(server.port, name);
    },
    query: (database, text, values) => run(server.port, database, text, values),
    async stop() {
      await stopServer(server);
      await server.exited;
    },
  };
}

const sharedServerFile = (directory: string) => join(directory, 'postgres.json');

/** Runs `action` holding a lock directory (mkdir is atomic), so one process of the run at a time does it. */
async function withLock<T>(lock: string, action: () => Promise<T>): Promise<T> {
  for (const deadline = Date.now() + 60_000; ;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) throw new Error(`${lock} was held for 60 s: another jest process of this run hung starting PostgreSQL`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await action();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The run's one PostgreSQL server, started by the first test file that asks for it and stopped by the global
 * teardown, with databases of the calling file's own (`<name>_<unique suffix>`: `createDatabase` returns its URL,
 * `query` takes the name the test gave). `stop()` drops them. Without the global setup (a test file run by another
 * jest configuration), a server of the file's own, as {@link startPostgres}.
 * @throws Error naming the fix when no PostgreSQL is installed or initdb fails
 */
export async function sharedPostgres(): Promise<TestPostgres> {
  const directory = runDirectory();
  if (!directory) return startPostgres();
  const binaries = testPostgres();
  const server = await withLock(join(directory, 'postgres.lock'), async (): Promise<ServerInfo> => {
    const file = sharedServerFile(directory);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ServerInfo;
    const { port, pid, root } = await startServer(binaries);
    writeFileSync(file, JSON.stringify({ port, pid, root, binaries }));
    return { port, pid, root, binaries };
  });
  const suffix = `${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const created = new Map<string, string>();
  return {
    version: server.binaries.major,
    port: server.port,
    pid: server.pid,
    async createDatabase(name) {
      const unique = `${name}_${suffix}`;
      await run(server.port, 'postgres', `CREATE DATABASE "${unique}"`);
      created.set(name, unique);
      return urlOf(server.port, unique);
    },
    query: (database, text, values) => run(server.port, created.get(database) ?? database, text, values),
    async stop() {
      for (const unique of created.values()) await run(server.port, 'postgres', `DROP DATABASE IF EXISTS "${unique}" WITH (FORCE)`);
      created.clear();
    },
  };
}

/** Stops the run's shared server, when a test started one (the global teardown). */
export async function stopSharedPostgres(directory: string): Promise<void> {
  const file = sharedServerFile(directory);
  if (existsSync(file)) await stopServer(JSON.parse(readFileSync(file, 'utf8')) as ServerInfo);
}
