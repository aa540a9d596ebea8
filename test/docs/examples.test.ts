/**
 * A code block marked `<!-- example: PATH -->` in README.md or docs/ is that file, verbatim: the example a page shows is
 * the one the tests run (examples/microservice-chart.ts runs in test/package/pack.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The marker and the fenced block right after it. */
const EXAMPLE = /<!-- example: (\S+) -->\n```\w*\n([^]*?)^```$/gm;

const examples = PAGES.flatMap((page) =>
  [...readFileSync(join(ROOT, page), 'utf8').matchAll(EXAMPLE)].map(([, file, code]) => ({ page, file, code })));

describe('examples shown in the docs', () => {
  it('are there (else this file would prove nothing)', () => {
    expect(examples.map((example) => `${example.page}: ${example.file}`)).toContain('docs/library.md: examples/microservice-chart.ts');
  });

  it.each(examples)('$page shows $file as it is', ({ file, code }) => {
    expect(code).toBe(readFileSync(join(ROOT, file), 'utf8'));
  });
});
