/**
 * The installable package, as a user meets it (docs/library.md): `npm pack` builds it; a fresh cdk8s project installs
 * the tarball, compiles examples/microservice-chart.ts (a plain Chart with one `Microservice`) against the packed type
 * declarations, synthesizes it, and validates the output with the packed validator, its command and its library.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { installPackedPackage, packPackage, type PackResult } from '../support/packed-package';

const ROOT = join(__dirname, '../..');
const EXAMPLE = join(ROOT, 'examples/microservice-chart.ts');

/** The example's chart, as `app.synth()` writes it (the chart id names the file). */
const SYNTHESIZED = 'dist/catalog.k8s.yaml';

let work: string;
let app: string;
let packed: PackResult;

/** Runs Node.js in the project; throws with the output (tsc reports on stdout) when it fails. */
function node(...args: string[]): string {
  const result = spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Runs the installed `mesh-platform-validate` in the project: exit code and output. */
function validateCommand(...paths: string[]): { status: number | null; output: string } {
  const result = spawnSync(join(app, 'node_modules/.bin/mesh-platform-validate'), paths, { cwd: app, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mesh-platform-package-'));
  packed = packPackage(work);
  app = join(work, 'app');
  mkdirSync(app);
  installPackedPackage(app, packed.tarball);
  // The example as the project's program, compiled as `cdk8s init typescript-app` projects are (CommonJS, strict).
  copyFileSync(EXAMPLE, join(app, 'main.ts'));
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: true, types: [], outDir: 'build' },
    files: ['main.ts'],
  }));
  node(require.resolve('typescript/bin/tsc'), '-p', '.');
  node('build/main.js');
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('packs the compiled library with its declarations, the validator command and its schemas, and nothing else', () => {
    const unexpected = packed.files.filter((file) =>
      !['package.json', 'README.md', 'LICENSE'].includes(file) && !/^lib\/.+\.(js|d\.ts)$/.test(file) && !/^lib\/imports\/schemas\/[^/]+\.json$/.test(file));
    expect(unexpected).toEqual([]);
    expect(packed.files).toEqual(expect.arrayContaining(['LICENSE', 'lib/src/index.js', 'lib/src/index.d.ts', 'lib/src/validation/index.d.ts', 'lib/src/validation/cli.js']));
    const schemas = readdirSync(join(ROOT, 'imports/schemas')).filter((name) => name.endsWith('.json'));
    expect(packed.files).toEqual(expect.arrayContaining(schemas.map((name) => `lib/imports/schemas/${name}`)));
  });

  it('leaves out the sample configuration, the tests, the sample services and the repository-only tools', () => {
    const repositoryOnly = /^lib\/(src\/(config|deploy|local|images|toolchain|cluster|scaffold|compare)\/|src\/(main|platform)\.|test\/|bench\/|services\/(user|order|payment)-service\/|docs\/)/;
    expect(packed.files.filter((file) => repositoryOnly.test(file))).toEqual([]);
  });
});

describe('a cdk8s project of its own with the installed package', () => {
  const objects = () => parseAllDocuments(readFileSync(join(app, SYNTHESIZED), 'utf8')).map((document) => document.toJS() as {
    kind: string; metadata: { name: string; namespace?: string };
  });

  it('synthesizes the example: the Microservice\'s objects, in the chart\'s namespace', () => {
    const kinds = objects().map((object) => `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`);
    expect(kinds).toEqual(expect.arrayContaining(['Deployment shop/catalog-v1', 'Service shop/catalog', 'ServiceAccount shop/catalog']));
    expect(objects().every((object) => object.metadata.namespace === 'shop')).toBe(true);
  });

  it('mesh-platform-validate finds no error in the output', () => {
    const { status, output } = validateCommand('dist');
    expect(output).toContain('0 errors');
    expect(status).toBe(0);
  });

  it('mesh-platform-validate reports a broken object, naming it, the field and the fix, and exits 1', () => {
    const broken = join(work, 'broken.yaml');
    const synthesized = readFileSync(join(app, SYNTHESIZED), 'utf8');
    expect(synthesized).toContain('serviceAccountName: catalog');
    writeFileSync(broken, synthesized.replace('serviceAccountName: catalog', 'serviceAccountName: catalgo'));
    const { status, output } = validateCommand(broken);
    expect(output).toMatch(/Deployment shop\/catalog-v1[^]*spec\.template\.spec\.serviceAccountName: ServiceAccount "catalgo" not found[^]*fix: /);
    expect(status).toBe(1);
  });

  it('the validator\'s library entry (mesh-platform/validation) loads and validates the same output', () => {
    const script = [
      "const { loadManifests, validateObjects, formatFinding } = require('mesh-platform/validation');",
      `const { objects, sources } = loadManifests(['${SYNTHESIZED}']);`,
      'console.log(JSON.stringify({ objects: objects.length, findings: validateObjects(objects, { sources }).map(formatFinding) }));',
    ].join('\n');
    const result = JSON.parse(node('-e', script)) as { objects: number; findings: string[] };
    expect(result).toEqual({ objects: objects().length, findings: [] });
  });
});
