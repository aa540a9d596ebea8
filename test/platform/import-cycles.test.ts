/**
 * No import cycle in src/ and charts/, type-only imports included: eslint's import-x/no-cycle (npm run lint) follows
 * value imports only, and a cycle through types still ties two modules together for a reader.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The repository's own modules a file imports or re-exports from (`import type` too). */
function localImports(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles
    .map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier))
    .flatMap((base) => [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate)) ?? []);
}

/** Every cycle found by a depth-first walk, each as the files from its first module back to it. */
function importCycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((file) => [file, localImports(file)]));
  const done = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string, path: string[]): void => {
    const start = path.indexOf(file);
    if (start >= 0) {
      cycles.push([...path.slice(start), file]);
      return;
    }
    if (done.has(file)) return;
    for (const imported of graph.get(file) ?? []) visit(imported, [...path, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  return cycles;
}

test('src/ and charts/ import without cycles, type-only imports included', () => {
  const files = ['src', 'charts'].flatMap((directory) => sourceFiles(join(ROOT, directory)));
  expect(files.length).toBeGreaterThan(100);
  const cycles = importCycles(files).map((cycle) => cycle.map((file) => relative(ROOT, file)).join(' -> '));
  expect(cycles).toEqual([]);
});

test('a cycle through type-only imports and re-exports is found', () => {
  const directory = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  try {
    writeFileSync(join(directory, 'config.ts'), "import type { Build } from './builds';\nexport type Config = Build[];\n");
    writeFileSync(join(directory, 'builds.ts'), "import { push } from './push';\nexport type Build = ReturnType<typeof push>;\n");
    writeFileSync(join(directory, 'push.ts'), "export type { Config } from './config';\nexport const push = () => 1;\n");
    const cycles = importCycles(sourceFiles(directory).sort());
    expect(cycles.map((cycle) => cycle.map((file) => relative(directory, file)))).toEqual([['builds.ts', 'push.ts', 'config.ts', 'builds.ts']]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
