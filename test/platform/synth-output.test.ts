/** Writing environments: all are checked before anything is written, and a failure loses no earlier output. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { platform } from '../../src/config/platform';
import type { PlatformDescription } from '../../src/description';
import { SynthesisConfigError, writeEnvironments } from '../../src/synth-output';
import { manifestFiles } from '../../src/validation/load';

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'synth-output-'));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

/** The project's description with user-service's weights adding up to 110 and naming an undeployed version. */
function invalidDescription(): PlatformDescription {
  const description = structuredClone(platform) as unknown as { services: { name: string; canary?: { weights: Record<string, number> } }[] };
  description.services.find((s) => s.name === 'user-service')!.canary = { weights: { v1: 80, v3: 30 } };
  return description as unknown as PlatformDescription;
}

test('an invalid description reports every environment\'s problems and leaves every earlier output as it was', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    mkdirSync(join(outdir, env));
    writeFileSync(join(outdir, env, 'shop.k8s.yaml'), `earlier ${env}\n`);
  }
  let thrown: unknown;
  try {
    writeEnvironments({ outdir, environments: ['dev', 'staging', 'prod'], description: invalidDescription() });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SynthesisConfigError);
  const lines = (thrown as Error).message.split('\n');
  for (const env of ['dev', 'staging', 'prod']) {
    expect(lines.some((line) => line.startsWith(`platform config (environment ${env}): services.user-service.canary.weights`))).toBe(true);
    expect(readFileSync(join(outdir, env, 'shop.k8s.yaml'), 'utf8')).toBe(`earlier ${env}\n`);
  }
  expect(lines.at(-1)).toBe('nothing was written');
  expect(readdirSync(outdir).sort()).toEqual(['dev', 'prod', 'staging']);
});

test('a valid run replaces each environment whole and says what it wrote', () => {
  mkdirSync(join(outdir, 'dev'));
  writeFileSync(join(outdir, 'dev', 'removed-chart.k8s.yaml'), 'stale: true\n');
  const written = writeEnvironments({ outdir, environments: ['dev'] });
  expect(written).toEqual([{
    environment: 'dev', file: join(outdir, 'dev', 'shop.k8s.yaml'), dashboards: expect.any(Array), objects: expect.any(Number), kinds: expect.any(Object), milliseconds: expect.any(Number),
  }]);
  expect(written[0].objects).toBeGreaterThan(10);
  expect(Object.keys(written[0].kinds)[0]).toBe('Namespace');
  expect(Object.values(written[0].kinds).reduce((sum, count) => sum + count, 0)).toBe(written[0].objects);
  expect(existsSync(join(outdir, 'dev', 'removed-chart.k8s.yaml'))).toBe(false);
  expect(readdirSync(outdir)).toEqual(['dev']);
});

test('the dashboards are written beside the manifests for import, the same JSON their ConfigMaps carry', () => {
  const [{ file, dashboards }] = writeEnvironments({ outdir, environments: ['dev'] });
  expect(dashboards.map((path) => relative(join(outdir, 'dev'), path))).toEqual(
    ['overview', ...platform.services.map((s) => s.name)].map((name) => join('dashboards', `shop-${name}.grafana.json`)));
  const configMaps = parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS())
    .filter((object) => object.kind === 'ConfigMap' && object.metadata.name.endsWith('-dashboard'));
  expect(configMaps).toHaveLength(dashboards.length);
  for (const path of dashboards) {
    const carried = configMaps.map((configMap) => configMap.data[basename(path, '.grafana.json') + '.json']).find(Boolean);
    expect({ path, json: readFileSync(path, 'utf8') }).toEqual({ path, json: carried });
    expect(JSON.parse(readFileSync(path, 'utf8')).uid).toBe(basename(path, '.grafana.json'));
  }
  // `npm run validate -- dist/dev` searches directories recursively: it reads the manifest, not the dashboards.
  expect(manifestFiles(join(outdir, 'dev'))).toEqual([file]);
});

test('construct metadata (what cdk8s synth asks for) stays out of the directory kubectl apply -f dist/<env>/ reads', () => {
  const previous = process.env.CDK8S_RECORD_CONSTRUCT_METADATA;
  process.env.CDK8S_RECORD_CONSTRUCT_METADATA = 'true';
  try {
    writeEnvironments({ outdir, environments: ['dev'], constructMetadata: true });
  } finally {
    if (previous === undefined) delete process.env.CDK8S_RECORD_CONSTRUCT_METADATA;
    else process.env.CDK8S_RECORD_CONSTRUCT_METADATA = previous;
  }
  // kubectl apply -f <dir> (without -R) reads the .json, .yaml and .yml files of the directory itself.
  const read = readdirSync(join(outdir, 'dev'), { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);
  expect(read).toEqual(['shop.k8s.yaml']);
  const metadata = JSON.parse(readFileSync(join(outdir, 'dev', '.cdk8s', 'construct-metadata.json'), 'utf8'));
  expect(metadata.resources['Deployment/shop/user-service-v1'].path).toMatch(/user-service/);
});
