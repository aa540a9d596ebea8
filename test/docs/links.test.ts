/** Every relative link of the README and docs/ resolves to a file and, for `#anchor`, to a heading there. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokenLinks, headingSlugs, relativeLinks } from '../support/markdown-links';

const ROOT = join(__dirname, '../..');
const DOCS = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort();
const FILES = [join(ROOT, 'README.md'), join(ROOT, 'imports/README.md'), ...DOCS.map((name) => join(ROOT, 'docs', name))];

describe('the link checker', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'links-'));
    writeFileSync(join(dir, 'other.md'), '# Other\n\n## Build the images: `npm run images`\n\n## Tests\n\n## Tests\n');
    writeFileSync(join(dir, 'code.ts'), 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('slugs headings as GitHub does: code spans as text, punctuation dropped, repeats numbered', () => {
    expect(headingSlugs('# Offline / air-gapped base images\n## Tests\n### Tests\n## Validation: schema, references\n'))
      .toEqual(['offline--air-gapped-base-images', 'tests', 'tests-1', 'validation-schema-references']);
  });

  it('reports a missing file, a missing heading, a repeat beyond the last and a heading on code, and only those', () => {
    const file = join(dir, 'page.md');
    writeFileSync(file, [
      '# Page',
      '',
      'Good: [other](other.md), [heading](other.md#build-the-images-npm-run-images), [repeat](other.md#tests-1),',
      '[here](#page), [a directory](.), ![image](other.md), [lines of code](code.ts#L2-L3).',
      '',
      'Broken: [file](missing.md), [heading](other.md#nothing), [third](other.md#tests-2), [self](#nowhere), [code](code.ts#setup).',
      '',
      'Not links: `[code](missing.md)`, [site](https://example.com/missing.md).',
      '',
      '```md',
      '[fenced](missing.md)',
      '```',
    ].join('\n'));
    expect(relativeLinks(file)).toHaveLength(12);
    expect(brokenLinks([file], dir)).toEqual([
      'page.md:6: missing.md: no file missing.md',
      'page.md:6: other.md#nothing: no heading #nothing in other.md',
      'page.md:6: other.md#tests-2: no heading #tests-2 in other.md',
      'page.md:6: #nowhere: no heading #nowhere in this file',
      'page.md:6: code.ts#setup: #setup on a file that is not Markdown',
    ]);
  });
});

describe('README.md and docs/', () => {
  it('link only to files and headings that exist', () => {
    expect(brokenLinks(FILES, ROOT)).toEqual([]);
  });

  it('README.md links every page of docs/', () => {
    const linked = new Set(relativeLinks(join(ROOT, 'README.md')).map((link) => link.href.split('#')[0]));
    expect(DOCS.filter((name) => !linked.has(`docs/${name}`))).toEqual([]);
  });
});
