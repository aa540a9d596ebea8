/** The local database server's credentials: generated once, kept, readable by the containers, never in the Compose file. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { composeFile } from '../../src/local/compose-file';
import { renderCompose } from '../../src/local/compose-yaml';
import { databaseServer } from '../../src/local/database-server';
import { databaseStatePaths, removeDatabaseState, writeDatabaseState } from '../../src/local/database-state';
import { synthesizePlatform } from '../../src/platform';
import { TEST_IMAGES } from '../support/platform';

describe('database state (.local/<project>)', () => {
  const root = mkdtempSync(join(tmpdir(), 'local-state-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const { spec } = synthesizePlatform('dev', { images: TEST_IMAGES });
  const databases = Object.fromEntries(spec.services.flatMap((s) => (s.database ? [[s.name, s.database.name]] : [])));
  const state = databaseStatePaths(root, 'shop-local', Object.keys(databases));
  const composeDirectory = join(root, 'dist', 'compose');
  const server = databaseServer(spec, 'postgres:x', { passwords: relative(composeDirectory, state.passwords), init: relative(composeDirectory, state.init) });

  it("writes each service's URL to the server's host name with its role's password, and keeps the passwords", () => {
    writeDatabaseState(state, server, databases);
    expect(statSync(state.directory).mode & 0o777).toBe(0o700);
    for (const [service, database] of Object.entries(databases)) {
      const password = readFileSync(join(state.passwords, database), 'utf8');
      expect(password).toMatch(/^[0-9a-f]{64}$/);
      const file = state.urlFiles[service] as string;
      expect(readFileSync(file, 'utf8')).toBe(`postgres://${database}:${password}@${server.server.host}:${server.server.port}/${database}`);
      // Readable by the container's user (another uid), inside the 0700 directory.
      expect(statSync(file).mode & 0o777).toBe(0o644);
    }
    expect(readFileSync(join(state.init, server.initScript.file), 'utf8')).toBe(server.initScript.text);
    const before = readFileSync(join(state.passwords, 'postgres-password'), 'utf8');
    writeDatabaseState(state, server, databases);
    expect(readFileSync(join(state.passwords, 'postgres-password'), 'utf8')).toBe(before);
  });

  it('leaves every password out of the Compose file, which names only their paths', () => {
    const urlFiles = Object.fromEntries(Object.entries(state.urlFiles).map(([service, path]) => [service, relative(composeDirectory, path)]));
    const text = renderCompose(composeFile(spec, { database: { server, urlFiles } }), { environment: 'dev', project: 'shop-local' });
    for (const database of [...Object.values(databases), 'postgres-password']) {
      expect(text).not.toContain(readFileSync(join(state.passwords, database), 'utf8'));
    }
    expect(text).toContain('../../.local/shop-local/database-urls/order-service.url:/var/run/secrets/database/url:ro');
  });

  it('is removed whole by removeDatabaseState', () => {
    removeDatabaseState(root, 'shop-local');
    expect(() => statSync(state.directory)).toThrow(/ENOENT/);
  });
});
