/**
 * The generated schemas (imports/schemas/): their provenance, the Kubernetes API lifecycle they carry, and the
 * generator's behaviour on a clone where no source is available (everything kept, nothing half-written).
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISTIO, ISTIO_SCHEMA_VERSIONS, KUBERNETES_API, KUBERNETES_SCHEMA_RELEASES, TOOLCHAIN } from '../../src/versions';
import { REPOSITORY_ROOT, runScript } from '../support/run-script';

const SCHEMAS = join(REPOSITORY_ROOT, 'imports/schemas');
const read = (file: string) => JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8'));
const provenance = read('provenance.json') as {
  artifacts: Record<string, { sha256: string; sources: { module?: string; version?: string; path?: string; file?: string; sha256: string }[] }>;
};
const kubernetesFile = (level: keyof typeof KUBERNETES_SCHEMA_RELEASES) => `kubernetes-${KUBERNETES_SCHEMA_RELEASES[level].slice(1)}.json`;

describe('imports/schemas provenance', () => {
  it('records every artifact with its SHA-256 (generated, never edited) and its sources', () => {
    const files = readdirSync(SCHEMAS).filter((file) => file !== 'provenance.json').sort();
    expect(Object.keys(provenance.artifacts).sort()).toEqual(files);
    for (const file of files) {
      const digest = createHash('sha256').update(readFileSync(join(SCHEMAS, file))).digest('hex');
      expect({ file, sha256: provenance.artifacts[file].sha256 }).toEqual({ file, sha256: digest });
      expect(provenance.artifacts[file].sources.length).toBeGreaterThan(0);
    }
  });

  it('has the versions of src/versions.ts from their Go modules', () => {
    for (const level of [KUBERNETES_API.floor, KUBERNETES_API.current]) {
      expect(provenance.artifacts[kubernetesFile(level)].sources).toEqual([expect.objectContaining({
        module: TOOLCHAIN.kubernetes.module, version: KUBERNETES_SCHEMA_RELEASES[level], path: 'api/openapi-spec/swagger.json',
      })]);
    }
    expect(provenance.artifacts[`istio-${ISTIO.version}.json`].sources).toEqual([expect.objectContaining({
      module: ISTIO.api.goModule, version: ISTIO.api.goVersion, path: ISTIO.api.crds,
    })]);
    for (const version of ISTIO_SCHEMA_VERSIONS) expect(provenance.artifacts[`istio-${version}.json`]).toBeDefined();
  });
});

describe('Kubernetes API lifecycle (kubernetes-lifecycle.json)', () => {
  const lifecycle = read('kubernetes-lifecycle.json') as { releases: string[]; kinds: Record<string, [string, string]> };
  const floor = Object.keys(read(kubernetesFile(KUBERNETES_API.floor)).kinds as object);
  const current = new Set(Object.keys(read(kubernetesFile(KUBERNETES_API.current)).kinds as object));

  it('covers every release from the floor to the current level', () => {
    expect(lifecycle.releases[0]).toBe(KUBERNETES_API.floor);
    expect(lifecycle.releases[lifecycle.releases.length - 1]).toBe(KUBERNETES_API.current);
    expect(lifecycle.releases).toHaveLength(Number(KUBERNETES_API.current.split('.')[1]) - Number(KUBERNETES_API.floor.split('.')[1]) + 1);
  });

  it('gives a last release before the current one for every API of the floor that the current level no longer serves', () => {
    const removed = floor.filter((key) => !current.has(key));
    expect(removed.length).toBeGreaterThan(0);
    for (const key of removed) {
      const range = lifecycle.kinds[key];
      expect({ key, served: range?.[0] }).toEqual({ key, served: KUBERNETES_API.floor });
      expect(lifecycle.releases.indexOf(range[1])).toBeLessThan(lifecycle.releases.length - 1);
    }
  });

  it("agrees with Kubernetes' deprecated API migration guide on the removals it lists between 1.27 and 1.36", () => {
    // https://kubernetes.io/docs/reference/using-api/deprecation-guide/: v1.29 and v1.32 (flow control); no other
    // beta API served by default in 1.27 is listed up to 1.36.
    const lastServed = (key: string) => lifecycle.kinds[key]?.[1];
    expect(lastServed('flowcontrol.apiserver.k8s.io/v1beta2/FlowSchema')).toBe('1.28');
    expect(lastServed('flowcontrol.apiserver.k8s.io/v1beta2/PriorityLevelConfiguration')).toBe('1.28');
    expect(lastServed('flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema')).toBe('1.31');
    expect(lastServed('flowcontrol.apiserver.k8s.io/v1beta3/PriorityLevelConfiguration')).toBe('1.31');
  });
});

describe('npm run import:schemas on a clone without sources', () => {
  let scratch: string;
  let moduleCache: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'import-schemas-'));
    moduleCache = mkdtempSync(join(tmpdir(), 'import-schemas-gomodcache-'));
    cpSync(SCHEMAS, join(scratch, 'schemas'), { recursive: true });
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(moduleCache, { recursive: true, force: true });
  });

  /** The generator with no Go module reachable (GOPROXY=off, empty module cache) and no local directory. */
  const generate = () => runScript('imports/generate-schemas.ts', [], {
    SCHEMAS_OUT: join(scratch, 'schemas'),
    CRDS_DIR: join(scratch, 'no-such-directory'),
    GOPROXY: 'off',
    GOMODCACHE: moduleCache,
    GOFLAGS: '-mod=mod',
  });
  const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((file) => [file, readFileSync(join(dir, file), 'utf8')]));

  it('keeps every committed artifact, byte for byte, and says so (regenerating the one from committed CRDs identically)', () => {
    const before = snapshot(join(scratch, 'schemas'));
    const result = generate();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const file of Object.keys(before).filter((name) => name !== 'provenance.json')) {
      // The sources of the Gateway API's, the Prometheus Operator's and KEDA's are committed (imports/crds/): regenerated,
      // to the same bytes; the others are kept.
      if (/^(gateway-api|prometheus-operator|keda|flagger)-/.test(file)) expect(result.stdout).toContain(`${file} (`);
      else expect(result.stdout).toContain(`${file} kept (source not available: `);
    }
    expect(snapshot(join(scratch, 'schemas'))).toEqual(before);
    expect(readdirSync(scratch).sort()).toEqual(['schemas']);
  });

  it('fails without touching imports/schemas when an artifact has neither a source nor a committed copy', () => {
    rmSync(join(scratch, 'schemas', `istio-${ISTIO_SCHEMA_VERSIONS[0]}.json`));
    const before = snapshot(join(scratch, 'schemas'));
    const result = generate();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`import:schemas: istio-${ISTIO_SCHEMA_VERSIONS[0]}.json: source not available and no committed copy to keep`);
    expect(result.stderr).toContain('(imports/schemas/ left as it was)');
    expect(snapshot(join(scratch, 'schemas'))).toEqual(before);
    expect(readdirSync(scratch).sort()).toEqual(['schemas']);
  });
});
