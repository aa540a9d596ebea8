/**
 * The manifests' YAML writer (src/manifest-yaml.ts) writes exactly what cdk8s' `Yaml.stringify` writes: on every
 * mode variant of the project's environments, on a generated platform with canaries, progressive services and
 * databases, and on the scalars YAML 1.1 reads as something else or cannot write plainly.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, Yaml } from 'cdk8s';
import { manifestYaml, writeManifest } from '../../src/manifest-yaml';
import { addPlatformChart } from '../../src/platform';
import { ENVIRONMENTS } from '../../src/description';
import { resolvePlatformSpec } from '../../src/description/resolve';
import { scaleDescription } from '../../bench/scale-description';
import { synthesizeVariants } from '../support/platform';

/** `manifestYaml(objects)`, and how many documents it left to `yaml` (cdk8s' `Yaml.stringify`). */
function written(objects: readonly unknown[]): { text: string; leftToYaml: number } {
  const spy = jest.spyOn(Yaml, 'stringify');
  try {
    return { text: manifestYaml(objects), leftToYaml: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

test.each(Object.entries(synthesizeVariants()))('%s: byte for byte what cdk8s writes', (_name, { objects }) => {
  expect(written(objects)).toEqual({ text: Yaml.stringify(...objects), leftToYaml: 0 });
});

test.each(ENVIRONMENTS)('a generated platform of 30 services in %s: byte for byte what cdk8s writes, in memory and in the file', (environment) => {
  const { description, overrides, images } = scaleDescription(30);
  const spec = resolvePlatformSpec({ description, environment, overrides: overrides[environment], images });
  const objects = addPlatformChart(new App(), spec).toJson();
  const expected = Yaml.stringify(...objects);
  expect(written(objects)).toEqual({ text: expected, leftToYaml: 0 });
  // The file is written in chunks as it is made (this one is over a megabyte: several chunks).
  const file = join(mkdtempSync(join(tmpdir(), 'manifest-yaml-')), 'nested', 'shop.k8s.yaml');
  try {
    expect(writeManifest(file, objects)).toBe(Buffer.byteLength(expected));
    expect(Buffer.byteLength(expected)).toBeGreaterThan(1 << 20);
    expect(readFileSync(file, 'utf8')).toBe(expected);
  } finally {
    rmSync(dirname(dirname(file)), { recursive: true, force: true });
  }
});

/** Strings YAML 1.1 would read as another type, indicators, quotes, line breaks, block scalars and their indentation. */
const AWKWARD_STRINGS = [
  'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'true', '1_000', '0755', '0x1F', '0b101', '1:20', '12:30:00', '.5', '1e3', '.inf', '-.Inf', '.nan',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '', ' ', ' lead', 'trail ', 'a: b', 'a:b', '- x', '-', '? x', '?', '#c', 'a #c', 'x:', "it's", '"q"',
  '---', '...', '--- x', '@x', '`x', '%x', '&x', '*x', '!x', '|x', '>x', '{x}', '[x]', ',x', 'a\nb', 'a\n\nb\n', '\n', '  lead\nx', 'x\n  y\n',
  'tab\tx', 'trail \nx', 'x\n\n\n', '\u0001', '\u007f', 'é ✓', 'long '.repeat(300), `{\n  "json": true\n}\n`,
];

test('awkward scalars, keys and structures: byte for byte what cdk8s writes', () => {
  const document = {
    values: AWKWARD_STRINGS,
    nested: { deeper: { deepest: AWKWARD_STRINGS.map((value) => ({ value, list: [value, [value]] })) } },
    keys: Object.fromEntries(AWKWARD_STRINGS.filter((key) => key.length < 1000).map((key, i) => [key, i])),
    topLevelKeys: undefined,
    numbers: [0, 1, -1, 1.5, -0.25, 1e21, 1e-7, 2 ** 53, 0.1 + 0.2],
    other: [true, false, null, [], {}, [[]], [{}], { a: [] }, { a: {} }],
  };
  const topLevel = Object.fromEntries(AWKWARD_STRINGS.filter((key) => key.length < 1000).map((key) => [key, key]));
  // A key over 1,024 characters is written as an explicit key (`? key`): that document is left to yaml.
  const objects = [{ ...document, topLevelKeys: topLevel }, topLevel, { ['k'.repeat(1100)]: 1 }];
  expect(written(objects)).toEqual({ text: Yaml.stringify(...objects), leftToYaml: 1 });
});

test('what yaml writes its own way (aliases of shared objects, undefined, class instances, -0) is left to yaml', () => {
  const shared = { a: 1 };
  const objects = [{ one: shared, two: shared }, { gone: undefined }, { when: new Date(0) }, { zero: -0 }, undefined, 'scalar'];
  expect(written(objects)).toEqual({ text: Yaml.stringify(...objects), leftToYaml: 5 });
});
