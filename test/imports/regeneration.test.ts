/**
 * Regeneration on a clone: the import steps read only the repository (and the Go module proxy for what it serves),
 * and on an unchanged tree they reproduce the committed files byte for byte, so `git status` stays clean.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KEDA, PROMETHEUS_OPERATOR } from '../../src/versions';
import { flaggerCrdBundle, flaggerModuleDir } from '../../imports/flagger-crds';
import { importInto } from '../../imports/generate-bindings';
import { REPOSITORY_ROOT, runScript } from '../support/run-script';

const IMPORTS = join(REPOSITORY_ROOT, 'imports');
const read = (file: string) => readFileSync(file, 'utf8');
/** The generated bindings: Istio's, the Gateway API's (both channels), the Prometheus Operator's, KEDA's and Flagger's. */
const bindings = (dir: string) => readdirSync(dir).filter((file) => /\.(istio\.io|k8s\.io|x-k8s\.io|coreos\.com|keda\.sh|flagger\.app)\.ts$/.test(file)).sort();

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'regeneration-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

test('no import step reads outside the repository', () => {
  const scripts = JSON.parse(read(join(REPOSITORY_ROOT, 'package.json'))).scripts as Record<string, string>;
  const importScripts = Object.keys(scripts).filter((name) => name.startsWith('import:'));
  const sources = [read(join(REPOSITORY_ROOT, 'cdk8s.yaml')), ...importScripts.map((name) => scripts[name]),
    read(join(IMPORTS, 'generate-bindings.ts')), read(join(IMPORTS, 'generate-schemas.ts')), read(join(IMPORTS, 'flagger-crds.ts'))];
  for (const source of sources) expect(source).not.toMatch(/\.\.\/shared|SCHEMAS_DIR/);
  const imports = (parse(read(join(REPOSITORY_ROOT, 'cdk8s.yaml'))) as { imports: string[] }).imports;
  // Every CRD a binding is made from is listed, so that import:bindings regenerates (never removes) its binding.
  expect(imports).toEqual([
    'imports/crds/istio-1.22.8-crd-all.gen.yaml',
    'imports/crds/gateway-api-v1.6.0-standard.yaml',
    'gateway-api-experimental:=imports/crds/gateway-api-v1.6.0-experimental.yaml',
    'imports/crds/prometheus-operator-v0.85.0.yaml',
    'imports/crds/keda-v2.20.2.yaml',
    'imports/crds/flagger-v1.44.0.yaml',
  ]);
});

test('every import script that writes bindings goes through import:bindings, never cdk8s import in place', () => {
  const scripts = JSON.parse(read(join(REPOSITORY_ROOT, 'package.json'))).scripts as Record<string, string>;
  expect(scripts['import:bindings']).toBe('node --import tsx imports/generate-bindings.ts');
  for (const name of ['import:istio', 'import:gateway-api', 'import:monitoring', 'import:delivery']) {
    expect(scripts[name]).toMatch(/npm run -s import:bindings/);
  }
  for (const [name, command] of Object.entries(scripts)) {
    if (name.startsWith('import:')) expect(`${name}: ${command}`).not.toMatch(/cdk8s import/);
  }
});

test('every committed CRD file matches its provenance', () => {
  const { artifacts } = JSON.parse(read(join(IMPORTS, 'crds', 'provenance.json'))) as { artifacts: Record<string, { sha256: string; sources: unknown[] }> };
  const files = readdirSync(join(IMPORTS, 'crds')).filter((file) => file !== 'provenance.json').sort();
  expect(Object.keys(artifacts).sort()).toEqual(files);
  for (const file of files) {
    expect(createHash('sha256').update(readFileSync(join(IMPORTS, 'crds', file))).digest('hex')).toBe(artifacts[file].sha256);
    expect(artifacts[file].sources.length).toBeGreaterThan(0);
  }
});

test('the Gateway API CRD bundles rebuild byte for byte from their Go module, as their provenance describes', () => {
  const { artifacts } = JSON.parse(read(join(IMPORTS, 'crds', 'provenance.json'))) as { artifacts: Record<string, { sources: { module?: string; version?: string }[] }> };
  const bundles = Object.keys(artifacts).filter((file) => /^gateway-api-v[\d.]+-(standard|experimental)\.yaml$/.test(file));
  expect(bundles.sort()).toEqual(['gateway-api-v1.6.0-experimental.yaml', 'gateway-api-v1.6.0-standard.yaml']);
  for (const file of bundles) {
    const [{ module, version }] = artifacts[file].sources;
    const channel = /-(standard|experimental)\.yaml$/.exec(file)![1];
    const download = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd: tmpdir(), encoding: 'utf8' });
    const crds = join((JSON.parse(download) as { Dir: string }).Dir, 'config', 'crd', channel);
    // The files kustomization.yaml lists (the standard directory has none: all of its files), in name order.
    const kustomization = join(crds, 'kustomization.yaml');
    const files = existsSync(kustomization)
      ? (parse(read(kustomization)) as { resources: string[] }).resources
      : readdirSync(crds).filter((name) => name.endsWith('.yaml'));
    const rebuilt = [...files].sort().map((name) => `---\n# Source: ${module}@${version} config/crd/${channel}/${name}\n${read(join(crds, name))}`).join('');
    expect(rebuilt === read(join(IMPORTS, 'crds', file))).toBe(true);
  }
});

test('the Prometheus Operator and KEDA CRD bundles rebuild byte for byte from their Go modules, at the versions src/versions.ts pins', () => {
  const { artifacts } = JSON.parse(read(join(IMPORTS, 'crds', 'provenance.json'))) as { artifacts: Record<string, { sources: { module: string; version: string }[] }> };
  for (const { module, version } of [PROMETHEUS_OPERATOR, KEDA].map((release) => ({ module: release.goModule, version: release.version }))) {
    const file = Object.keys(artifacts).find((name) => artifacts[name].sources[0].module === module)!;
    expect(artifacts[file].sources[0].version).toBe(version);
    // Each document names its source file in its `# Source:` line.
    const sources = [...read(join(IMPORTS, 'crds', file)).matchAll(/^# Source: (\S+)@(\S+) (\S+)$/gm)].map((match) => match.slice(1));
    expect(sources.length).toBeGreaterThan(0);
    const download = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd: tmpdir(), encoding: 'utf8' });
    const dir = (JSON.parse(download) as { Dir: string }).Dir;
    const rebuilt = sources.map(([, , path]) => `---\n# Source: ${module}@${version} ${path}\n${read(join(dir, path))}`).join('');
    expect(rebuilt === read(join(IMPORTS, 'crds', file))).toBe(true);
  }
});

test('the Flagger CRD bundle rebuilds byte for byte from its Go module, and only indentation differs from the source', () => {
  const dir = flaggerModuleDir();
  const committed = read(join(IMPORTS, 'crds', 'flagger-v1.44.0.yaml'));
  expect(flaggerCrdBundle(dir) === committed).toBe(true);
  const squash = (text: string) => text.split('\n').map((line) => line.trim()).join('\n');
  expect(squash(committed.split('\n').slice(2).join('\n'))).toBe(squash(read(join(dir, 'artifacts/flagger/crd.yaml'))));
});

test('npm run import:bindings regenerates the committed bindings byte for byte, and leaves cdk8s.yaml alone', () => {
  const config = read(join(REPOSITORY_ROOT, 'cdk8s.yaml'));
  const result = runScript('imports/generate-bindings.ts', ['--out', scratch]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(bindings(scratch)).toEqual(bindings(IMPORTS));
  expect(bindings(scratch).length).toBeGreaterThan(0);
  for (const file of bindings(scratch)) expect(read(join(scratch, file)) === read(join(IMPORTS, file))).toBe(true);
  expect(read(join(REPOSITORY_ROOT, 'cdk8s.yaml'))).toBe(config);
});

test('npm run import:bindings replaces only what changed and removes a binding no longer generated', () => {
  for (const file of bindings(IMPORTS)) cpSync(join(IMPORTS, file), join(scratch, file));
  writeFileSync(join(scratch, 'hand-written.ts'), 'export const kept = true;\n');
  const target = join(scratch, 'security.istio.io.ts');
  appendFileSync(target, '// edited by hand\n');
  cpSync(join(IMPORTS, 'telemetry.istio.io.ts'), join(scratch, 'old.istio.io.ts'));
  const result = runScript('imports/generate-bindings.ts', ['--out', scratch]);
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('security.istio.io.ts updated');
  expect(result.stdout).toContain('networking.istio.io.ts unchanged');
  expect(result.stdout).toContain('old.istio.io.ts removed (no longer generated)');
  expect(read(target)).toBe(read(join(IMPORTS, 'security.istio.io.ts')));
  expect(readdirSync(scratch)).toContain('hand-written.ts');
});

test('a CRD file cdk8s import finds no definitions in (it only warns) fails the import, naming the files', () => {
  const project = join(scratch, 'project');
  const staging = join(scratch, 'staging');
  cpSync(join(IMPORTS, 'crds', 'keda-v2.20.2.yaml'), join(project, 'keda.yaml'));
  writeFileSync(join(project, 'empty.yaml'), 'kind: List\nitems: []\n');
  writeFileSync(join(project, 'cdk8s.yaml'), 'language: typescript\nimports:\n  - keda.yaml\n  - empty.yaml\n');
  expect(() => importInto(staging, ['keda.yaml', 'empty.yaml'], project)).toThrow(/^cdk8s import of keda\.yaml, empty\.yaml failed: .*no definitions to import/s);
});

test('npm run import:schemas reproduces the committed schemas byte for byte', () => {
  cpSync(join(IMPORTS, 'schemas'), join(scratch, 'schemas'), { recursive: true });
  // The module cache only: what it lacks is kept as committed, which compares equal too; the Istio releases the Go
  // module proxy does not serve are always rebuilt from imports/crds/.
  const result = runScript('imports/generate-schemas.ts', [], { SCHEMAS_OUT: join(scratch, 'schemas'), GOPROXY: 'off', GOFLAGS: '-mod=mod' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/istio-1\.22\.8\.json \(\d+ KiB\) from imports\/crds\/istio-1\.22\.8-crd-all\.gen\.yaml/);
  const files = readdirSync(join(IMPORTS, 'schemas')).sort();
  expect(readdirSync(join(scratch, 'schemas')).sort()).toEqual(files);
  for (const file of files) expect(read(join(scratch, 'schemas', file)) === read(join(IMPORTS, 'schemas', file))).toBe(true);
});
