import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { parse, stringify } from 'yaml';

const ROOT = resolve(__dirname, '../..');
const CDK8S = join(ROOT, 'node_modules/.bin/cdk8s');

/**
 * Runs the real `cdk8s synth` with the repository's cdk8s.yaml `validations:` entry (package made absolute) on an app that
 * writes one directory per environment, as the platform's does.
 */
function synth(directory: string, env: Record<string, string>, properties: object = {}): { status: number | null; output: string } {
  const config = parse(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8'));
  // The app runs in a scratch directory (synth replaces ./dist), so tsx is given by location.
  config.app = `node --import ${pathToFileURL(require.resolve('tsx')).href} ${join(__dirname, 'fixtures/plugin-app.ts')}`;
  config.validations = config.validations.map((validation: { package: string; properties?: object }) =>
    ({ ...validation, package: resolve(ROOT, validation.package), properties: { ...validation.properties, ...properties } }));
  delete config.imports;
  writeFileSync(join(directory, 'cdk8s.yaml'), stringify(config));
  const result = spawnSync(CDK8S, ['synth', '--no-check-upgrade'], { cwd: directory, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('cdk8s validation plugin', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'validation-plugin-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('fails synthesis on an error, naming the environment file, the construct path and the field', () => {
    const { status, output } = synth(directory, { BREAK_PROD: '1' });
    expect(status).toBe(2);
    expect(output).toContain('ref-unknown-subset (error) (1 occurrences)');
    expect(output).toContain('Construct Path: prod/VirtualService-reviews');
    expect(output).toMatch(/Manifest Path: .*\/dist\/prod\/prod\.k8s\.yaml/);
    expect(output).toContain('> spec.http[0].route[0].destination.subset: subset "v4" is not defined by any DestinationRule for host reviews (defined: v1, v2, v3)');
    expect(output).toContain('Validation failed');
  });

  it('validates each environment directory on its own (no duplicates across dev/ and prod/) and passes with warnings', () => {
    const { status, output } = synth(directory, {});
    expect(status).toBe(0);
    expect(output).not.toContain('ref-duplicate-object');
    expect(output).toContain('mesh-platform validation: 0 errors, 2 warnings in 70 objects');
    expect(output).toContain('Construct Path: dev/Gateway-bookinfo-gateway');
    expect(output).toContain('Validations ended succesfully');
  });

  it('compiles into an empty validator cache code that the next synthesis loads', () => {
    const cache = join(directory, 'cache');
    const first = synth(directory, { MESH_PLATFORM_CACHE: cache });
    expect(first.output).toContain('Validations ended succesfully');
    const cached = readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(cached.length).toBeGreaterThan(5);
    // Each file is the CommonJS module the validator runs (validator-cache.ts), not ajv's code-generation objects as JSON.
    for (const file of cached) expect(() => new Script(`(function (require, module, exports) {${readFileSync(join(cache, file), 'utf8')}\n})`)).not.toThrow();
    const second = synth(directory, { MESH_PLATFORM_CACHE: cache });
    expect(second.status).toBe(0);
    expect(second.output).toContain('mesh-platform validation: 0 errors, 2 warnings in 70 objects');
  });

  it('fails on a version property naming no known version, listing the known ones', () => {
    const { status, output } = synth(directory, {}, { kubernetesVersions: ['1.36', '1.30'] });
    expect(status).not.toBe(0);
    expect(output).toContain('unknown Kubernetes version "1.30" (known: 1.27, 1.36)');
  });
});
