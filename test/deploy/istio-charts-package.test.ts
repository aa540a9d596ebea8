/**
 * The chart packaging's rewriting and its helm lookup, on a small stand-in chart (no Go, no helm): the packaging with
 * helm on Istio's real charts is test/e2e/istio-charts.test.ts.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findHelm, sanitizeChart, toolchainHelmPath } from '../../src/deploy/istio-charts/package';
import { toolchainBin } from '../../src/toolchain/index';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chart-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A chart laid out like the module's: placeholder version, testing hub and `latest` tag, under the defaults key. */
function writeChart(values: string): void {
  writeFileSync(
    join(dir, 'Chart.yaml'),
    ['apiVersion: v2', 'name: cni', '# This version is never actually shipped.', 'version: 1.0.0', 'appVersion: 1.0.0', ''].join('\n'),
  );
  writeFileSync(join(dir, 'values.yaml'), values);
}

describe('sanitizeChart', () => {
  test('sets the release version and replaces the testing hub and tag, as the release-builder does', () => {
    writeChart(
      [
        '_internal_defaults_do_not_set:',
        '  hub: ""',
        '  tag: ""',
        '  global:',
        '    # Dev builds from prow are on registry.istio.io/testing',
        '    hub: registry.istio.io/testing',
        '    tag: latest',
        '',
      ].join('\n'),
    );
    sanitizeChart(dir, '1.31.4', 'docker.io/istio');
    expect(readFileSync(join(dir, 'Chart.yaml'), 'utf8')).toContain('version: 1.31.4\nappVersion: 1.31.4\n');
    const values = readFileSync(join(dir, 'values.yaml'), 'utf8');
    expect(values).toContain('    hub: docker.io/istio\n    tag: 1.31.4\n');
    // Comments and the per-component overrides (empty: use global) stay as they are.
    expect(values).toContain('# Dev builds from prow are on registry.istio.io/testing');
    expect(values).toContain('  hub: ""\n  tag: ""\n');
  });

  test('development tags of release branches are replaced too', () => {
    writeChart('global:\n  hub: gcr.io/istio-testing\n  tag: 1.31-dev\nother:\n  tag: release-1.31-latest-daily\n');
    sanitizeChart(dir, '1.31.4', 'docker.io/istio');
    expect(readFileSync(join(dir, 'values.yaml'), 'utf8')).toBe('global:\n  hub: docker.io/istio\n  tag: 1.31.4\nother:\n  tag: 1.31.4\n');
  });

  test('a testing image source it cannot rewrite is an error, not a chart that pulls development builds', () => {
    writeChart('global:\n  hub: registry.istio.io/testing/extra\n');
    expect(() => sanitizeChart(dir, '1.31.4', 'docker.io/istio')).toThrow(/still has "hub: registry\.istio\.io\/testing\/extra"/);
  });
});

describe('findHelm', () => {
  test('$HELM wins, and must be an executable', () => {
    const helm = join(dir, 'helm');
    writeFileSync(helm, '#!/bin/sh\n');
    chmodSync(helm, 0o755);
    expect(findHelm({ HELM: helm, PATH: '' })).toBe(helm);
    expect(() => findHelm({ HELM: join(dir, 'absent'), PATH: '' })).toThrow(/HELM=.*absent is not an executable file/);
  });

  test('then PATH', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'helm'), '#!/bin/sh\n');
    chmodSync(join(bin, 'helm'), 0o755);
    expect(findHelm({ PATH: `/nonexistent:${bin}` })).toBe(join(bin, 'helm'));
  });

  test('then the toolchain cache; absent everywhere, the error names the command that builds it', () => {
    const previous = process.env.MESH_PLATFORM_CACHE;
    process.env.MESH_PLATFORM_CACHE = dir;
    try {
      expect(toolchainHelmPath()).toBe(join(toolchainBin(), 'helm'));
      expect(toolchainHelmPath().startsWith(join(dir, 'toolchain'))).toBe(true);
      expect(() => findHelm({ PATH: '' })).toThrow(/helm not found: .*none at .*\/bin\/helm\. Fix: npm run -s toolchain/);
    } finally {
      if (previous === undefined) delete process.env.MESH_PLATFORM_CACHE;
      else process.env.MESH_PLATFORM_CACHE = previous;
    }
  });
});
