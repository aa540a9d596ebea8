import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Finding } from '../../src/validation';
import { REPOSITORY_ROOT, runPackageScript } from '../support/run-script';
import { NOT_ON_1_27, POLICY } from './fixtures/policy';

const ROOT = REPOSITORY_ROOT;
const SHOP = 'test/validation/fixtures/cli/shop';
const BASE = 'test/validation/corpus/_base';

/** Runs the CLI as a real process, as `npm run -s validate -- …` does (same command, without npm's start-up). */
function validate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = runPackageScript('validate', args);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('validate CLI', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'validate-cli-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('exits 0 on a clean application and prints warnings grouped by file and object', () => {
    const { status, stdout } = validate(BASE);
    expect(status).toBe(0);
    expect(stdout).toContain(`${BASE}/bookinfo.yaml\n  Gateway bookinfo/bookinfo-gateway (line 603)\n    warning ref-gateway-selector  spec.selector:`);
    expect(stdout.trim().split('\n').pop()).toBe('0 errors, 1 warning in 35 objects');
  });

  it('exits 1 on errors, reading directories recursively, List kinds and .yml files, ignoring other files', () => {
    const { status, stdout } = validate(SHOP);
    expect(status).toBe(1);
    expect(stdout).toContain(
      'error   ref-unknown-subset  spec.http[0].route[1].destination.subset: subset "v3" is not defined by any DestinationRule for host order-service (defined: v1, v2)');
    expect(stdout).toContain('fix: add the subset to the DestinationRule of the host');
    expect(stdout.trim().split('\n').pop()).toBe('1 error, 0 warnings in 5 objects');
  });

  it('exits 0 on a routing-only file alone (its hosts are warnings: the Services are elsewhere), and checks them beside the workloads', () => {
    const documents = readFileSync(join(ROOT, BASE, 'bookinfo.yaml'), 'utf8').split(/^---\n/m);
    const routing = (document: string): boolean => /^kind: (VirtualService|DestinationRule|Gateway)$/m.test(document);
    const routingFile = join(scratch, 'bookinfo-routing.yaml');
    const workloadsFile = join(scratch, 'bookinfo-workloads.yaml');
    writeFileSync(routingFile, documents.filter(routing).join('---\n'));
    writeFileSync(workloadsFile, documents.filter((document) => !routing(document)).join('---\n'));
    const alone = validate(routingFile);
    expect(alone.status).toBe(0);
    expect(alone.stdout).toContain('warning ref-unknown-host  spec.host: host "reviews" is not checked: the input holds no Service of namespace bookinfo (the Services are elsewhere, not in the input)');
    const together = validate(routingFile, workloadsFile);
    expect(together.status).toBe(0);
    expect(together.stdout).not.toContain('ref-unknown-host');
    writeFileSync(routingFile, documents.filter(routing).join('---\n').replace('host: ratings\n', 'host: rating\n'));
    expect(validate(routingFile, workloadsFile).stdout).toContain('error   ref-unknown-host  spec.http[0].route[0].destination.host: host "rating" does not resolve to a Service');
  });

  it("validates a cdk8s output directory, skipping the construct-metadata.json that cdk8s writes beside the manifests", () => {
    const outdir = join(scratch, 'cdk8s-out');
    mkdirSync(outdir);
    writeFileSync(join(outdir, 'app.k8s.yaml'), readFileSync(join(ROOT, BASE, 'bookinfo.yaml'), 'utf8'));
    writeFileSync(join(outdir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources: {} }));
    const { status, stdout } = validate(outdir);
    expect(status).toBe(0);
    expect(stdout).not.toContain('construct-metadata.json');
  });

  it('validates a directory of environments one subdirectory at a time, and says so', () => {
    const dist = join(scratch, 'dist');
    for (const env of ['dev', 'prod']) {
      mkdirSync(join(dist, env), { recursive: true });
      writeFileSync(join(dist, env, 'platform.k8s.yaml'), readFileSync(join(ROOT, BASE, 'bookinfo.yaml'), 'utf8'));
    }
    const { status, stdout } = validate(dist);
    expect(status).toBe(0);
    expect(stdout).toContain(`validating 2 directories separately: ${dist}/dev, ${dist}/prod`);
    expect(stdout).toContain(`== ${dist}/prod (validated as its own set)`);
    expect(stdout).not.toContain('ref-duplicate-object');
    expect(stdout.trim().split('\n').pop()).toBe('total: 0 errors, 2 warnings in 70 objects');
    const json = JSON.parse(validate('--format', 'json', dist).stdout);
    expect(json.sets).toEqual([
      { path: `${dist}/dev`, objects: 35, errors: 0, warnings: 1 },
      { path: `${dist}/prod`, objects: 35, errors: 0, warnings: 1 },
    ]);
    expect(json.findings[0]).toMatchObject({ set: `${dist}/dev`, file: `${dist}/dev/platform.k8s.yaml`, line: 603 });
    // --one-set validates them together: every object of prod duplicates one of dev.
    const together = validate('--one-set', dist);
    expect(together.status).toBe(1);
    expect(together.stdout).toContain('ref-duplicate-object');
  });

  it('exits 2 naming a PATH that holds no Kubernetes object (an empty directory, only kustomization.yaml or compose.yaml)', () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const none = validate(empty);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(`validate: ${empty}: no Kubernetes object found`);
    const kustomize = join(scratch, 'kustomize');
    mkdirSync(kustomize);
    writeFileSync(join(kustomize, 'kustomization.yaml'), 'resources:\n  - deployment.yaml\n');
    writeFileSync(join(kustomize, 'compose.yaml'), 'services:\n  app:\n    image: app:1\n');
    expect(validate(kustomize).status).toBe(2);
    writeFileSync(join(kustomize, 'app.yaml'), readFileSync(join(ROOT, BASE, 'bookinfo.yaml'), 'utf8'));
    const read = validate(kustomize);
    expect(read.status).toBe(0);
    expect(read.stdout).not.toContain('kustomization');
    expect(read.stdout).not.toContain('compose.yaml');
  });

  it('prints exactly one JSON object with --format json', () => {
    const { status, stdout } = validate('--format', 'json', SHOP);
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report).sort()).toEqual(['findings', 'objects']);
    expect(report.objects).toBe(5);
    expect(report.findings).toEqual<Finding[]>([{
      file: `${SHOP}/order-service.yaml`,
      line: 30,
      kind: 'VirtualService',
      name: 'order-service',
      namespace: 'shop',
      rule: 'ref-unknown-subset',
      severity: 'error',
      path: 'spec.http[0].route[1].destination.subset',
      message: 'subset "v3" is not defined by any DestinationRule for host order-service (defined: v1, v2)',
      hint: 'add the subset to the DestinationRule of the host, or route to a defined subset',
    }]);
  });

  it('applies the production rules to every namespace with --production', () => {
    const { stdout } = validate('--format=json', '--production', SHOP);
    const rules = JSON.parse(stdout).findings.map((f: { rule: string; name: string }) => `${f.rule} ${f.name}`);
    expect(rules).toEqual(expect.arrayContaining(['policy-production-replicas order-service-v2', 'policy-production-pdb order-service-v1']));
    expect(rules).not.toContain('policy-production-replicas order-service-v1');
  });

  it('exits 0 with only warnings', () => {
    const file = join(scratch, 'warning-only.yaml');
    writeFileSync(file, readFileSync(join(ROOT, BASE, 'bookinfo.yaml'), 'utf8').replace('      timeout: 10s\n', '      timeout: 10s\n      mirror:\n        host: shadow.example.com\n'));
    const { status, stdout } = validate('--format', 'json', file);
    expect(status).toBe(0);
    expect(JSON.parse(stdout).findings.map((f: { rule: string; severity: string }) => `${f.rule}:${f.severity}`))
      .toEqual(['ref-gateway-selector:warning', 'ref-unknown-host:warning']);
  });

  it('checks Istio objects against the supported Istio releases by default, and older ones when asked', () => {
    const file = join(scratch, 'backoff.yaml');
    writeFileSync(file, readFileSync(join(ROOT, BASE, 'bookinfo.yaml'), 'utf8').replace('        perTryTimeout: 2s\n', '        perTryTimeout: 2s\n        backoff: 25ms\n'));
    // retries.backoff is a field of 1.30 and 1.31 (the defaults), not of the end-of-life 1.22.
    expect(validate(file).status).toBe(0);
    const older = validate('--istio-versions', '1.22.8,1.31.4', file);
    expect(older.stdout).toContain('unknown field "backoff" (Istio 1.22.8 schema)');
    expect(older.status).toBe(1);
  });

  it('checks against the Kubernetes and Istio versions asked for with --kubernetes and --istio', () => {
    const file = join(scratch, 'newer-apis.yaml');
    writeFileSync(file, `${stringify(POLICY)}---\n${readFileSync(join(ROOT, BASE, 'bookinfo.yaml'), 'utf8')
      .replace('        perTryTimeout: 2s\n', '        perTryTimeout: 2s\n        backoff: 25ms\n')}`);
    const all = validate(file);
    expect(all.status).toBe(1);
    expect(all.stdout).toContain(NOT_ON_1_27);
    expect(all.stdout).not.toContain('backoff');
    expect(validate('--kubernetes', '1.36', '--istio', '1.22.8', file).stdout).toContain('spec.http[1].retries.backoff: unknown field "backoff"\n');
    expect(validate('--kubernetes', '1.36', '--istio', '1.30.8,1.31.4', file).status).toBe(0);
  });

  it('exits 2 with file:line:column on unparsable YAML', () => {
    const file = join(scratch, 'broken.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n');
    const { status, stdout, stderr } = validate(file);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^validate: ${file}:9:1: `));
  });

  it('exits 1 on a key set twice, with file and line, still validating the other objects (kubectl refuses such a document)', () => {
    const file = join(scratch, 'duplicate-key.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: twice\n  name: twice\n');
    const { status, stdout, stderr } = validate('--format', 'json', file);
    expect(status).toBe(1);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as { findings: Finding[]; objects: number };
    expect(report.objects).toBe(2);
    expect(report.findings.map(({ file: where, line, rule, path, message }) => ({ where, line, rule, path, message }))).toEqual([{
      where: file, line: 6, rule: 'object-yaml', path: 'metadata.name',
      message: 'line 10: key "name" is set twice in one mapping (first at line 9): kubectl refuses the document, other tools keep one of the values',
    }]);
  });

  it('exits 2 with file:line on a document that is not an object', () => {
    const file = join(scratch, 'scalar.yaml');
    writeFileSync(file, '# comment\n---\njust a string\n');
    const { status, stderr } = validate(file);
    expect(status).toBe(2);
    expect(stderr).toContain(`${file}:3: a manifest document must be an object, got string`);
  });

  it('exits 2 with file:line on an alias to an anchor of another document (anchors are per document), not a crash', () => {
    const file = join(scratch, 'alias.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: &shared\n  k: v\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata: *shared\n');
    const { status, stdout, stderr } = validate(file);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`validate: ${file}:12: Unresolved alias (the anchor must be set before the alias): shared\n`);
  });

  it('reads YAML merge keys (<<) as kubectl does', () => {
    const file = join(scratch, 'merge.yaml');
    writeFileSync(file, [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', '  labels: &labels', '    app: shop',
      '  annotations:', '    <<: *labels', '    note: merged', 'data: {k: v}', '',
    ].join('\n'));
    const { status, stdout } = validate(file);
    expect(stdout).toBe('0 errors, 0 warnings in 1 object\n');
    expect(status).toBe(0);
  });

  it.each([
    [[], 'no PATH given'],
    [['--frobnicate', BASE], 'unknown option --frobnicate'],
    [['--format', 'xml', BASE], '--format must be text or json, got "xml"'],
    [['--istio-versions', '1.9.0', BASE], 'unknown Istio version "1.9.0" (known: 1.22.8, 1.30.8, 1.31.4)'],
    [['--kubernetes', '1.30', BASE], 'unknown Kubernetes version "1.30" (known: 1.27, 1.36)'],
    [['does/not/exist.yaml'], 'does/not/exist.yaml: no such file or directory'],
  ])('exits 2 on %j', (args, message) => {
    const { status, stderr } = validate(...args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
  });

  it('runs through the npm script', () => {
    const result = spawnSync('npm', ['run', '-s', 'validate', '--', '--format', 'json', SHOP], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).objects).toBe(5);
  });
});
