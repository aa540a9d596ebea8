/** The docs state the versions of src/versions.ts, so a version bump that forgets them fails here. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_API, ISTIO, KUBERNETES_API, TOOLCHAIN } from '../../src/versions';

const read = (file: string) => readFileSync(join(__dirname, '..', '..', file), 'utf8');
const bare = (version: string) => version.replace(/^v/, '');

test('docs/compatibility.md "Verified against" lists every toolchain release and the Istio CRDs it installs', () => {
  const matrix = read('docs/compatibility.md');
  const start = matrix.indexOf('## Verified against');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = matrix.indexOf('\n## ', start + 1);
  const section = matrix.slice(start, end < 0 ? undefined : end);
  for (const tool of Object.values(TOOLCHAIN)) expect(section).toContain(bare(tool.release));
  expect(section).toContain(`Istio CRDs (the \`base\` chart) | ${ISTIO.version}`);
});

test('the README\'s "Verified against" paragraph names the cluster, Istio and Pulumi releases', () => {
  const paragraph = read('README.md').split('\n\n').find((text) => text.startsWith('**Verified against**'));
  expect(paragraph).toBeDefined();
  for (const version of [TOOLCHAIN.kubernetes.release, ISTIO.version, TOOLCHAIN.pulumi.release, TOOLCHAIN.pulumiKubernetes.release]) {
    expect(paragraph).toContain(version);
  }
});

test('docs/compatibility.md states the Kubernetes levels, Istio, Gateway API and Pulumi versions', () => {
  const matrix = read('docs/compatibility.md');
  for (const version of [KUBERNETES_API.floor, KUBERNETES_API.current, ISTIO.version, GATEWAY_API.version, TOOLCHAIN.pulumi.release, TOOLCHAIN.pulumiKubernetes.release]) {
    expect(matrix).toContain(version);
  }
});

test('docs/e2e.md names the module version of every tool it builds', () => {
  const e2e = read('docs/e2e.md');
  for (const tool of Object.values(TOOLCHAIN)) expect(e2e).toContain(tool.module);
});
