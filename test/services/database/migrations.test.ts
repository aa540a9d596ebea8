import pino from 'pino';
import { databaseLabel } from '../../../services/kit/database/config';
import { Database } from '../../../services/kit/database/database';
import type { Migration } from '../../../services/kit/database/migrations';
import { type TestPostgres, sharedPostgres } from '../../support/postgres';

const MIGRATIONS: Migration[] = [
  { name: '0001-things', sql: 'CREATE TABLE things (id int PRIMARY KEY)' },
  { name: '0002-things-name', sql: "ALTER TABLE things ADD COLUMN name text NOT NULL DEFAULT ''" },
];

/** The kit's start-up migration against a real PostgreSQL. */
describe('migrations at start-up', () => {
  let postgres: TestPostgres;
  beforeAll(async () => {
    postgres = await sharedPostgres();
  }, 60_000);
  const opened: Database[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((database) => database.close().catch(() => undefined)));
    await postgres?.stop();
  });

  const open = (url: string, migrations: readonly Migration[] = MIGRATIONS) => {
    const database = new Database({ target: { url, label: databaseLabel(url)! }, migrations, application: 'test', logger: pino({ level: 'silent' }) });
    opened.push(database);
    return database;
  };

  it('applies each migration once when eight replicas start at once, under the advisory lock', async () => {
    const url = await postgres.createDatabase('replicas');
    const replicas = Array.from({ length: 8 }, () => open(url));
    await Promise.all(replicas.map((replica) => replica.whenMigrated()));
    expect(await Promise.all(replicas.map((replica) => replica.check()))).toEqual(replicas.map(() => undefined));
    expect(await postgres.query('replicas', 'SELECT name FROM schema_migrations ORDER BY name')).toEqual([
      { name: '0001-things' },
      { name: '0002-things-name' },
    ]);
    await replicas[0].query("INSERT INTO things (id, name) VALUES (1, 'one')");
  });

  it('applies only what is new on the next start, and a failing migration leaves nothing half-done', async () => {
    const url = await postgres.createDatabase('upgrade');
    const first = open(url, MIGRATIONS.slice(0, 1));
    await first.whenMigrated();

    const broken = open(url, [...MIGRATIONS, { name: '0003-broken', sql: 'CREATE TABLE more (id int); SELECT no_such_function()' }]);
    const deadline = Date.now() + 10_000;
    while ((await broken.check())?.includes('not connected yet') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // The database's name and address as its URL gives them (on the run's shared server, the name has a suffix).
    const { pathname, port } = new URL(url);
    expect(await broken.check()).toBe(`database ${pathname.slice(1)} on 127.0.0.1:${port} is not ready (migration failed: function no_such_function() does not exist)`);
    // 0002 was applied and recorded; 0003 neither (its CREATE TABLE rolled back with it).
    expect(await postgres.query('upgrade', 'SELECT name FROM schema_migrations ORDER BY name')).toEqual([
      { name: '0001-things' },
      { name: '0002-things-name' },
    ]);
    expect(await postgres.query('upgrade', "SELECT to_regclass('more') AS more")).toEqual([{ more: null }]);
  });
});
