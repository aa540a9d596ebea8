/**
 * The library's shape: its entry loads no configuration of this repository, and the workload constructs
 * (src/constructs) never import the mesh's (src/mesh), which build on them.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

test('src/index.ts loads nothing of src/config; src/platform.ts, the entry that synthesizes the environments, does', () => {
  const configFilesLoaded = (entry: string) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', [
    `require(${JSON.stringify(join(root, entry))});`,
    `console.log(JSON.stringify(Object.keys(require.cache).filter((file) => file.startsWith(${JSON.stringify(join(root, 'src', 'config'))}))));`,
  ].join('\n')], { cwd: root, encoding: 'utf8' })) as string[];
  expect(configFilesLoaded('src/index.ts')).toEqual([]);
  expect(configFilesLoaded('src/platform.ts').length).toBeGreaterThan(0);
}, 60_000);

test('src/constructs imports nothing from src/mesh', () => {
  const dir = join(root, 'src', 'constructs');
  const offenders = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .filter((file) => /from '(\.\.\/)+mesh\//.test(readFileSync(join(dir, file), 'utf8')));
  expect(offenders).toEqual([]);
});
