/**
 * Snapshot of the shipped environments' dashboards as a reviewer reads them: per dashboard its panels in order, each
 * with its type and unit and each query's refId, legend and PromQL (text panels: their content). The environment
 * snapshots (test/platform/snapshots) carry only a digest of the JSON. Rewrite with `npm run test:update`.
 */
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dataquery } from '@grafana/grafana-foundation-sdk/prometheus';
import { platformDashboards } from '../../src/observability/dashboards/dashboards';
import { loadPlatformSpec } from '../../src/platform';
import { ENVIRONMENTS } from '../../src/description';
import { TEST_IMAGES } from '../support/platform';

/** One line per panel and per query. */
function summary(panels: readonly Panel[]): string[] {
  return panels.flatMap((panel) => {
    if (panel.type === 'row') return [`— ${panel.title}`];
    const heading = `${panel.title} [${panel.type}${panel.fieldConfig?.defaults?.unit ? `, ${panel.fieldConfig.defaults.unit}` : ''}]`;
    if (panel.type === 'text') return [heading, ...String((panel.options as { content: string }).content).split('\n').map((line) => `    ${line}`)];
    return [heading, ...((panel.targets ?? []) as Dataquery[]).map((q) => `    ${q.refId} "${q.legendFormat}"${q.instant ? ' instant' : ''}: ${q.expr}`)];
  });
}

describe.each(ENVIRONMENTS)('%s dashboards', (environment) => {
  const spec = loadPlatformSpec(environment, { images: TEST_IMAGES });
  test.each(platformDashboards(spec).map(({ uid, dashboard }) => [uid, dashboard] as const))('%s', (_uid, dashboard) => {
    expect({ title: dashboard.title, tags: dashboard.tags, panels: summary((dashboard.panels ?? []) as Panel[]) }).toMatchSnapshot();
  });
});
