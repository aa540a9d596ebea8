/**
 * The in-cluster server's init script (synthesized into its ConfigMap) against a real PostgreSQL from Debian's
 * `postgresql` package: initialised in a temporary directory, started on a loopback port, stopped by process id.
 * The script runs psql, which the embedded PostgreSQL of the other database tests does not ship: without a system
 * PostgreSQL this is skipped, saying why (a failure under CI=true).
 * Each service's role reaches its own database with its own password and no other database; running the script a
 * second time (after adding a database later) changes nothing and fails nothing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLE_PASSWORDS_DIR_ENV } from '../../src/constructs/postgres-init-script';
import { ofKind, synthesizeAll } from '../support/platform';
import { freePort } from '../support/ports';
import { systemPostgres } from '../support/postgres-binaries';
import { describeRequiring } from '../support/requirements';

const bin = systemPostgres()?.bin;
const describeWithPostgres = describeRequiring(bin ? undefined : 'it needs psql from a system PostgreSQL (apt-get install -y postgresql)');

/** PostgreSQL refuses to run as root: as root, run it as Debian's `postgres` user (which comes with the package). */
const asRoot = process.getuid?.() === 0 && bin !== undefined;
const user = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : undefined;
const spawnOptions = { ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } };

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): string {
  return execFileSync(command, args, { ...spawnOptions, env: { ...spawnOptions.env, ...env }, input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

describeWithPostgres('the in-cluster init script on a real PostgreSQL', () => {
  const { spec, objects } = synthesizeAll().dev;
  const init = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name.endsWith('-postgres-init'))!;
  const [script] = Object.values(init.data) as string[];
  const roles = spec.services.flatMap((service) => (service.database ? [service.database.name] : []));
  const passwords = Object.fromEntries(roles.map((role) => [role, `pw-${role}-${Math.random().toString(36).slice(2)}`]));
  let dir: string;
  let port: number;
  let server: ChildProcess;

  const psql = (role: string, database: string, sql: string) =>
    run(join(bin!, 'psql'), ['-X', '-v', 'ON_ERROR_STOP=1', '-At', '-h', '127.0.0.1', '-p', String(port), '-U', role, '-d', database, '-c', sql],
      { PGPASSWORD: role === 'postgres' ? 'unused' : passwords[role] }).trim();
  const runScript = () => run('bash', [join(dir, 'init.sh')], {
    POSTGRES_USER: 'postgres', PGHOST: join(dir, 'run'), PGPORT: String(port), [ROLE_PASSWORDS_DIR_ENV]: join(dir, 'secrets'), PATH: `${bin}:${process.env.PATH}`,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mesh-postgres-init-'));
    for (const sub of ['run', 'secrets']) mkdirSync(join(dir, sub));
    for (const [role, password] of Object.entries(passwords)) writeFileSync(join(dir, 'secrets', role), password);
    writeFileSync(join(dir, 'init.sh'), script);
    if (user) for (const path of [dir, join(dir, 'run'), join(dir, 'secrets'), join(dir, 'init.sh'), ...roles.map((r) => join(dir, 'secrets', r))]) chownSync(path, user.uid, user.gid);
    chmodSync(join(dir, 'init.sh'), 0o555);
    // As the image's entrypoint does: the socket trusted locally, passwords (SCRAM) over TCP.
    run(join(bin!, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync']);
    port = await freePort();
    server = spawn(join(bin!, 'postgres'), ['-D', join(dir, 'data'), '-k', join(dir, 'run'), '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'], { ...spawnOptions, stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        run(join(bin!, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }, 60_000);

  afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      process.kill(server.pid, 'SIGINT'); // PostgreSQL's fast shutdown
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('creates each service\'s role and database, reachable with its own password only', () => {
    runScript();
    for (const role of roles) expect(psql(role, role, 'SELECT current_user || \'@\' || current_database()')).toBe(`${role}@${role}`);
    expect(() => run(join(bin!, 'psql'), ['-X', '-h', '127.0.0.1', '-p', String(port), '-U', roles[0], '-d', roles[0], '-c', 'SELECT 1'], { PGPASSWORD: 'wrong' }))
      .toThrow(/password authentication failed/);
  });

  test('a role cannot connect to another service\'s database', () => {
    expect(roles.length).toBeGreaterThanOrEqual(2);
    expect(() => psql(roles[0], roles[1], 'SELECT 1')).toThrow(/permission denied for database/);
  });

  test('a second run is a no-op that keeps the data, and the passwords it set', () => {
    psql(roles[0], roles[0], 'CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)');
    runScript();
    expect(psql(roles[0], roles[0], 'SELECT id FROM kept')).toBe('42');
  });
});
