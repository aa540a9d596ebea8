/**
 * The real promtool and amtool on what every environment generates: `promtool check rules` on each PrometheusRule (as
 * the Operator loads it: one file each) and on the environment's whole rules file, `promtool test rules` on each
 * service's generated unit tests, `amtool check-config` on
 * the Alertmanager configuration the Prometheus Operator makes of its AlertmanagerConfig, and `promtool check config`
 * on the scrape configs it makes of its PodMonitors.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { promtoolTests } from '../../src/observability/promtool-tests';
import { renderRuleGroups, renderRulesFile } from '../../src/observability/rules-file';
import { ENVIRONMENTS } from '../../src/description';
import { serviceMonitorName } from '../../src/description/names/observability';
import { ofKind, synthesizeAll, type KubeObject } from '../support/platform';
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

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mesh-promtool-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` to a file of the temporary directory and returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Each PrometheusRule's groups as the rules file the Operator writes for it (one file per object). */
const prometheusRuleFiles = (objects: readonly KubeObject[]) => ofKind(objects, 'PrometheusRule')
  .map((rule) => ({ name: rule.metadata.name as string, text: renderRuleGroups(rule.spec.groups) }));

describeWithTools(['promtool'], 'promtool on every environment\'s generated rules and scrape configs', (tools) => {
  describe.each(ENVIRONMENTS)('%s', (environment) => {
    const { spec, objects } = synthesized[environment];
    const ruleFiles = prometheusRuleFiles(objects);

    test.each(ruleFiles.map((f) => f.name))('promtool check rules accepts PrometheusRule %s, lint errors fatal', (name) => {
      const rules = file(`${environment}-${name}-rules.yml`, ruleFiles.find((f) => f.name === name)!.text);
      expect(run(tools.promtool, ['check', 'rules', '--lint-fatal', rules])).toMatch(/SUCCESS: \d+ rules found/);
    });

    // One file for a Prometheus without the Operator (renderRulesFile); --lint-fatal: no rule twice across services.
    test('promtool check rules accepts the environment\'s whole rules file, lint errors fatal', () => {
      const rules = file(`${environment}-rules.yml`, renderRulesFile(spec));
      expect(run(tools.promtool, ['check', 'rules', '--lint-fatal', rules])).toMatch(/SUCCESS: \d+ rules found/);
    });

    test.each(spec.services.map((s) => s.name))('promtool test rules: %s\'s generated unit tests pass against its PrometheusRule', (name) => {
      const rules = file(`${environment}-${name}-rules.yml`, ruleFiles.find((f) => f.name === serviceMonitorName(name))!.text);
      const tests = file(`${environment}-${name}-tests.yml`, promtoolTests(spec, spec.services.find((s) => s.name === name)!, [rules]));
      expect(run(tools.promtool, ['test', 'rules', tests])).toContain('SUCCESS');
    });

    test('promtool check config accepts the scrape configs of its PodMonitors', () => {
      const scrapeConfigs = ofKind(objects, 'PodMonitor').flatMap((monitor) => podMonitorScrapeConfigs(monitor, []));
      const path = file(`${environment}-prometheus.yml`, stringify({ scrape_configs: scrapeConfigs }, { lineWidth: 0 }));
      expect(run(tools.promtool, ['check', 'config', path])).toContain('SUCCESS');
    });
  });
});

describeWithTools(['amtool'], 'amtool on every environment\'s generated alert routing', (tools) => {
  test.each(ENVIRONMENTS)('%s: amtool check-config accepts the Alertmanager configuration of its AlertmanagerConfig', (environment) => {
    const [config] = ofKind(synthesized[environment].objects, 'AlertmanagerConfig');
    const path = file(`${environment}-alertmanager.yml`, stringify(alertmanagerYaml(config, 'http://127.0.0.1:9/alerts'), { lineWidth: 0 }));
    expect(run(tools.amtool, ['check-config', path])).toContain('SUCCESS');
  });
});
