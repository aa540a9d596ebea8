/** Writes a benchmark's table into docs/benchmarks.md, between its markers `<!-- bench:<name>:start -->` and `:end -->`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DOCS_FILE = join(__dirname, '../docs/benchmarks.md');

/** Replaces what docs/benchmarks.md holds between the markers of `name` (e.g. `images`) with `text`. */
export function writeDocsSection(name: string, text: string): void {
  const startMarker = `<!-- bench:${name}:start -->`;
  const endMarker = `<!-- bench:${name}:end -->`;
  const docs = readFileSync(DOCS_FILE, 'utf8');
  const start = docs.indexOf(startMarker);
  const end = docs.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`${DOCS_FILE}: markers ${startMarker} ... ${endMarker} not found`);
  writeFileSync(DOCS_FILE, `${docs.slice(0, start + startMarker.length)}\n${text}\n${docs.slice(end)}`);
}
