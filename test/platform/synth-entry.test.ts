/** `npm run synth` as a user runs it: a real process writing every environment, or one clear line and exit 1. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runPackageScript } from '../support/run-script';

const synth = (env: Record<string, string>, args: readonly string[] = []) => runPackageScript('synth', args, env);

describe('the cdk8s entry point', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'synth-'));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes each environment to its own directory, replacing what an earlier run left there', () => {
    mkdirSync(join(outdir, 'prod'));
    writeFileSync(join(outdir, 'prod', 'removed-chart.k8s.yaml'), 'stale: true\n');
    const result = synth({ CDK8S_OUTDIR: outdir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').map((line) => line.split(':')[0])).toEqual(['dev', 'staging', 'prod']);
    for (const environment of ['dev', 'staging', 'prod']) {
      const documents = parseAllDocuments(readFileSync(join(outdir, environment, 'shop.k8s.yaml'), 'utf8'));
      const kinds = (Array.isArray(documents) ? documents : [documents]).map((document) => document.toJS().kind);
      expect(kinds[0]).toBe('Namespace');
      expect(kinds).toContain(environment === 'dev' ? 'HTTPRoute' : 'VirtualService');
    }
    expect(existsSync(join(outdir, 'prod', 'removed-chart.k8s.yaml'))).toBe(false);
  });

  it('explains itself with --help and writes nothing', () => {
    const result = synth({ CDK8S_OUTDIR: outdir }, ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run synth/);
    expect(readdirSync(outdir)).toEqual([]);
  });

  it('fails with one line naming the problem when asked for an unknown environment', () => {
    const result = synth({ CDK8S_OUTDIR: outdir, PLATFORM_ENVIRONMENTS: 'prod,qa' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('PLATFORM_ENVIRONMENTS: unknown environment qa (known: dev, staging, prod)');
  });
});
