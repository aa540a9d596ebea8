import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EnvReader } from '../../../services/kit/config';
import { databaseLabel, readDatabaseConfig } from '../../../services/kit/database/config';
import { DatabaseUnavailableError, unavailableReason } from '../../../services/kit/database/errors';

describe('database configuration', () => {
  it('names a database by name, host and port, never by its credentials', () => {
    expect(databaseLabel('postgres://app:pw@db.internal:6432/payments?sslmode=require')).toBe('payments on db.internal:6432');
    expect(databaseLabel('postgresql://app@10.0.0.5/orders')).toBe('orders on 10.0.0.5:5432');
    expect(databaseLabel('mysql://app:pw@db/payments')).toBeUndefined();
    expect(databaseLabel('postgres://app:pw@db:5432/')).toBeUndefined();
    expect(databaseLabel('not a url')).toBeUndefined();
  });

  it('reads DATABASE_URL_FILE (a mounted Secret) and defaults to memory when neither variable is set', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'db-url-')), 'DATABASE_URL');
    writeFileSync(file, 'postgres://app:pw@db:5432/orders\n');
    const reader = new EnvReader({ DATABASE_URL_FILE: file, DATABASE_POOL_SIZE: '4' });
    expect(reader.done(readDatabaseConfig(reader))).toEqual({
      database: { url: 'postgres://app:pw@db:5432/orders', label: 'orders on db:5432' },
      databasePoolSize: 4,
    });
    const none = new EnvReader({});
    expect(none.done(readDatabaseConfig(none))).toEqual({ databasePoolSize: 10 });
  });

  it('rejects an unusable URL without showing it', () => {
    const reader = new EnvReader({ DATABASE_URL: 'postgres://app:hunter2@/nodb' });
    readDatabaseConfig(reader);
    let error: ConfigError | undefined;
    try {
      reader.done({});
    } catch (thrown) {
      error = thrown as ConfigError;
    }
    expect(error?.problems).toEqual([
      'DATABASE_URL (or the file DATABASE_URL_FILE names): expected postgres://user:password@host:port/database (the value is not shown: it may hold a password)',
    ]);
  });
});

describe('database errors', () => {
  it('tells an unreachable database from a bad statement', () => {
    expect(unavailableReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(unavailableReason(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }))).toBe('SQLSTATE 57P03');
    expect(unavailableReason(new Error('timeout exceeded when trying to connect'))).toBe('timeout exceeded when trying to connect');
    expect(unavailableReason(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeUndefined();
    expect(unavailableReason(new DatabaseUnavailableError('x on y:1', 'timeout'))).toBeUndefined();
    expect(new DatabaseUnavailableError('payments on db:5432', 'ECONNREFUSED')).toMatchObject({
      statusCode: 503,
      message: 'database payments on db:5432 is unavailable (ECONNREFUSED): retry later',
    });
  });
});

describe('EnvReader.boolean', () => {
  it('reads true/false, 1/0, yes/no and reports anything else', () => {
    const reader = new EnvReader({ A: 'TRUE', B: '0', C: 'yes', D: 'maybe' });
    expect([reader.boolean('A', false), reader.boolean('B', true), reader.boolean('C', false), reader.boolean('E', true)]).toEqual([true, false, true, true]);
    reader.boolean('D', false);
    expect(() => reader.done({})).toThrow('D="maybe": expected true or false (unset it to use the default false)');
  });
});
