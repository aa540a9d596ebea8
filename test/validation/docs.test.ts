import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/validation';

describe('docs/validation.md, validation rules', () => {
  it('lists every rule with its severity', () => {
    const docs = readFileSync(join(__dirname, '../../docs/validation.md'), 'utf8');
    const missing = RULES.filter((rule) => !docs.includes(`| \`${rule.id}\` | ${rule.severity} |`)).map((rule) => rule.id);
    expect(missing).toEqual([]);
  });
});
