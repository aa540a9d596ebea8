import { type LoadedObjects, parseManifests } from '../../src/validation';

/** The value of `v` in a one-line document, as the loader reads it. */
function read(scalar: string): unknown {
  const loaded: LoadedObjects = { objects: [], sources: [] };
  parseManifests(`kind: ConfigMap\nv: ${scalar}\n`, 'scalar.yaml', loaded);
  return loaded.objects[0].v;
}

describe('parseManifests reads plain scalars as Go\'s yaml (under kubectl) resolves them', () => {
  it.each([
    // Not floats for Go (strconv.ParseFloat, or its YAML float pattern, refuses them): strings, never NaN.
    ['.', '.'], ['[., "*"]', ['.', '*']], ['+.', '+.'], ['-.', '-.'], ['e3', 'e3'], ['.e3', '.e3'], ['-e3', '-e3'],
    ['_1.5', '_1.5'], ['1e999', '1e999'], ['1.2.3.4', '1.2.3.4'], ['12:30', '12:30'],
    // Floats and integers for Go too.
    ['.5', 0.5], ['1.', 1], ['-1.5e-3', -0.0015], ['1_000.5', 1000.5], ['+_.5', 0.5], ['1e3', 1000], ['012', 10], ['0x1F', 31],
    ['yes', true],
  ])('%s', (scalar, expected) => {
    expect(read(scalar)).toEqual(expected);
  });

  it('records what kubectl refuses (a key set twice, .nan) in the source instead of failing the file', () => {
    const loaded: LoadedObjects = { objects: [], sources: [] };
    parseManifests('kind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata:\n  x: .nan\n  <<: {p: "1"}\n  <<: {q: "2"}\n', 'twice.yaml', loaded);
    expect(loaded.objects[0]).toMatchObject({ metadata: { name: 'b' }, data: { p: '1', q: '2' } });
    expect(loaded.sources[0].readProblems?.map(({ path, line }) => ({ path, line }))).toEqual([
      { path: 'metadata.name', line: 4 },
      { path: 'data.x', line: 6 },
    ]);
  });
});
