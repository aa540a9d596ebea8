/**
 * The real promtool and amtool on what every environment generates: `promtool check rules` on its rules file (every
 * rule group of every service), `promtool test rules` on each service's generated unit tests, `amtool check-config` on
 * the Alertmanager configuration the Prometheus Operator makes of its AlertmanagerConfig, and `promtool check config`
 * on the scrape configs it makes of its PodMonitors.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { promtoolTests } from '../../src/observability/promtool-tests';
import { renderRulesFile } from '../../src/observability/rules-file';
import { ENVIRONMENTS } from '../../src/spec';
import { ofKind, synthesizeAll } from '../support/platform';
import { describeWithTools } from '../support/tools';
import { alertmanagerYaml } from './support/alertmanager-config';
import { podMonitorScrapeConfigs } from './support/scrape-config';

jest.setTimeout(60_000);

const synthesized = synthesizeAll();

/** Runs a tool, returning its output; a failure throws with everything it printed. */
function run(binary: string, args: string[]): string {
  try {
    return execFileSync(binary, args, { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    throw new Error(`${binary} ${args.join(' ')}:\n${stdout}${stderr}`, { cause: error });
  }
}

describeWithTools(['promtool', 'amtool'], 'promtool and amtool on every environment\'s generated rules and routing', (tools) => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mesh-promtool-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe.each(ENVIRONMENTS)('%s', (environment) => {
    const { spec, objects } = synthesized[environment];
    const file = (name: string, text: string) => {
      const path = join(dir, `${environment}-${name}`);
      writeFileSync(path, text);
      return path;
    };

    test('promtool check rules accepts every rule group', () => {
      const rules = file('rules.yml', renderRulesFile(spec));
      expect(run(tools.promtool, ['check', 'rules', rules])).toMatch(/SUCCESS: \d+ rules found/);
    });

    test.each(spec.services.map((s) => s.name))('promtool test rules: %s\'s generated unit tests pass', (name) => {
      const rules = file('rules.yml', renderRulesFile(spec));
      const tests = file(`${name}-tests.yml`, promtoolTests(spec, spec.services.find((s) => s.name === name)!, [rules]));
      expect(run(tools.promtool, ['test', 'rules', tests])).toContain('SUCCESS');
    });

    test('amtool check-config accepts the Alertmanager configuration of its AlertmanagerConfig', () => {
      const [config] = ofKind(objects, 'AlertmanagerConfig');
      const path = file('alertmanager.yml', stringify(alertmanagerYaml(config, 'http://127.0.0.1:9/alerts'), { lineWidth: 0 }));
      expect(run(tools.amtool, ['check-config', path])).toContain('SUCCESS');
    });

    test('promtool check config accepts the scrape configs of its PodMonitors', () => {
      const scrapeConfigs = ofKind(objects, 'PodMonitor').flatMap((monitor) => podMonitorScrapeConfigs(monitor, []));
      const path = file('prometheus.yml', stringify({ scrape_configs: scrapeConfigs }, { lineWidth: 0 }));
      expect(run(tools.promtool, ['check', 'config', path])).toContain('SUCCESS');
    });
  });
});
