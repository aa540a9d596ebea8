/**
 * The generated rules through the real promtool (the toolchain's, Prometheus 3.16): `promtool check rules` on every
 * environment's rules file, and `promtool test rules` on each service's unit tests derived from its SLOs (healthy
 * traffic is silent, a fast burn pages, a slow burn opens only the ticket, a latency regression and a vanished target
 * alert). Skipped with one line where the toolchain is not built; a failure under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promtoolTests } from '../../src/observability/promtool-tests';
import { renderRulesFile, renderServiceRulesFile } from '../../src/observability/rules-file';
import { ENVIRONMENTS } from '../../src/spec';
import { synthesizeVariants } from '../support/platform';
import { describeWithTools } from '../support/tools';

describeWithTools(['promtool'], 'promtool on the generated rules', ({ promtool }) => {
  const variants = synthesizeVariants();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Runs promtool and returns what it printed (it writes its verdicts to stderr); on failure the error carries that
   * output, which names the rule, the test and the alert.
   */
  const run = (args: string[]) => {
    const result = spawnSync(promtool, args, { cwd: dir, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    if (result.status !== 0) throw new Error(`promtool ${args.join(' ')} exited ${result.status}:\n${output}`);
    return output;
  };

  describe.each(ENVIRONMENTS)('%s', (environment) => {
    const { spec } = variants[environment];
    const rules = `${environment}.rules.yaml`;
    beforeAll(() => writeFileSync(join(dir, rules), renderRulesFile(spec)));

    test('promtool check rules accepts every rule group', () => {
      // --lint-fatal: duplicate rules (the same record name and labels twice) fail too.
      expect(run(['check', 'rules', '--lint-fatal', rules])).toMatch(/SUCCESS: \d+ rules found/);
    });

    test.each(spec.services.map((s) => s.name))('promtool test rules: %s\'s SLO scenarios pass', (name) => {
      const service = spec.services.find((s) => s.name === name)!;
      const file = `${environment}-${name}.test.yaml`;
      const own = `${environment}-${name}.rules.yaml`;
      writeFileSync(join(dir, own), renderServiceRulesFile(spec, service));
      writeFileSync(join(dir, file), promtoolTests(spec, service, [own]));
      expect(run(['test', 'rules', file])).toMatch(/SUCCESS/);
    });
  });
});
