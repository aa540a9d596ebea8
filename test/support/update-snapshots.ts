/**
 * `npm run test:update [-- <jest args>]`: rewrites the snapshots (`jest -u`) and prints which snapshot entries, that is
 * which objects per environment, were added, changed or removed, so that the review starts from a list.
 * Without arguments it runs the test files that have snapshots; with arguments, what they select.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { runInNewContext } from 'node:vm';

const ROOT = join(__dirname, '../..');
const TESTS = join(ROOT, 'test');

/** Every `__snapshots__/*.snap` file under `dir`. */
function snapshotFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : snapshotFiles(path);
    return entry.name.endsWith('.snap') && basename(dir) === '__snapshots__' ? [path] : [];
  });
}

/** The entries of every snapshot file: file → entry name → serialized value. A .snap file is CommonJS assigning `exports[name]`. */
function readSnapshots(): Map<string, Record<string, string>> {
  const all = new Map<string, Record<string, string>>();
  for (const file of snapshotFiles(TESTS)) {
    const exports: Record<string, string> = {};
    runInNewContext(readFileSync(file, 'utf8'), { exports });
    all.set(relative(ROOT, file), exports);
  }
  return all;
}

/** The test files (outside test/e2e) that match snapshots: they have a snapshot file, or call toMatchSnapshot. */
function snapshotTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'e2e', '__snapshots__'].includes(entry.name) ? [] : snapshotTests(path);
    if (!entry.name.endsWith('.test.ts')) return [];
    const snapshotted = existsSync(join(dir, '__snapshots__', `${entry.name}.snap`)) || /toMatch(Inline)?Snapshot\(/.test(readFileSync(path, 'utf8'));
    return snapshotted ? [path] : [];
  });
}

/** `changed: <entry>` lines per snapshot file, comparing two readings. */
export function snapshotChanges(before: Map<string, Record<string, string>>, after: Map<string, Record<string, string>>): string[] {
  const lines: string[] = [];
  for (const file of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = before.get(file) ?? {};
    const now = after.get(file) ?? {};
    const entries = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort();
    const fileLines = entries.flatMap((entry) => {
      const name = entry.replace(/ 1$/, '');
      if (!(entry in old)) return [`  added:   ${name}`];
      if (!(entry in now)) return [`  removed: ${name}`];
      return old[entry] === now[entry] ? [] : [`  changed: ${name}`];
    });
    if (fileLines.length > 0) lines.push(`${file}:`, ...fileLines);
  }
  return lines;
}

function main(args: readonly string[]): number {
  if (args.includes('--help')) {
    console.log('Usage: npm run test:update [-- <jest args>]\nRewrites the snapshots (jest -u) and lists the entries added, changed or removed.');
    return 0;
  }
  const before = readSnapshots();
  const selection = args.length > 0 ? args : snapshotTests(TESTS).map((file) => relative(ROOT, file));
  const jest = join(dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');
  const result = spawnSync(process.execPath, [jest, '-u', '--ci=false', ...selection], { cwd: ROOT, stdio: 'inherit' });
  const changes = snapshotChanges(before, readSnapshots());
  console.log(changes.length > 0 ? `Snapshot entries written (review them before committing):\n${changes.join('\n')}` : 'No snapshot changed.');
  return result.status ?? 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
