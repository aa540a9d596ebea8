/**
 * kubeconform on the validator's own schemas (every carried version), over the corpus: every error kubeconform reports
 * is reported by the validator too, on the same object and field. Skipped, saying why, when the toolchain has not
 * built kubeconform (`npm run -s toolchain`), except under CI, where that fails (test/support/tools.ts).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithTools } from '../support/tools';
import { runKubeconform, uncovered, writeKubeconformSchemas } from '../../bench/kubeconform/kubeconform';
import { loadManifests, validateObjects } from '../../src/validation';
import { CORPUS } from './corpus';

describeWithTools(['kubeconform'], 'kubeconform on the same schemas', (tools) => {
  let schemas: string;
  beforeAll(() => {
    schemas = mkdtempSync(join(tmpdir(), 'kubeconform-schemas-'));
  });
  afterAll(() => rmSync(schemas, { recursive: true, force: true }));

  it('finds no schema error on the corpus that the validator does not also report', () => {
    const locations = writeKubeconformSchemas(schemas);
    const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.yaml')).map((file) => join(CORPUS, file)).sort();
    const theirs = runKubeconform(tools.kubeconform, locations, files);
    // Each case file on its own: its schema findings do not depend on the base application.
    const ours = files.flatMap((file) => {
      const loaded = loadManifests([file]);
      return validateObjects(loaded.objects, { sources: loaded.sources });
    });
    // kubeconform does find errors in the corpus (the schema-* fail cases), so the comparison is not empty.
    expect(new Set(theirs.map((error) => error.file)).size).toBeGreaterThan(5);
    expect(uncovered(theirs, ours)).toEqual([]);
  });
});
