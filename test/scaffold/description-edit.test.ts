/** The scaffold's edits of the description files: inserted where the syntax tree says, the rest left as written. */
import { addServiceEntry, addServiceOverrides, DescriptionShapeError } from '../../src/scaffold/description-edit';

const entry = "{\n  name: 'zz-new',\n  versions: [{ name: 'v1' }],\n}";

test('a service goes after the last one, indented like it, comments kept', () => {
  const text = "export const platform = {\n  name: 'shop',\n  services: [\n    { name: 'a' },\n    // the last one\n    { name: 'b' }, // trailing comment\n  ],\n};\n";
  expect(addServiceEntry(text, entry)).toBe(
    "export const platform = {\n  name: 'shop',\n  services: [\n    { name: 'a' },\n    // the last one\n    { name: 'b' },\n    {\n      name: 'zz-new',\n      versions: [{ name: 'v1' }],\n    }, // trailing comment\n  ],\n};\n",
  );
});

test('a last element without a trailing comma gets one; an empty list gets its first element', () => {
  expect(addServiceEntry("const platform = { services: [\n  { name: 'a' }\n] };\n", "{ name: 'b' }")).toBe("const platform = { services: [\n  { name: 'a' },\n  { name: 'b' },\n] };\n");
  expect(addServiceEntry('const platform = {\n  services: [],\n};\n', "{ name: 'b' }")).toBe("const platform = {\n  services: [\n    { name: 'b' },\n  ],\n};\n");
});

test('overrides go into the environment\'s services, which are created when missing', () => {
  const text = "export const environments = {\n  dev: {},\n  prod: {\n    production: true,\n    services: {\n      'a': { x: 1 },\n    },\n  },\n};\n";
  expect(addServiceOverrides(text, 'prod', 'zz-new', '{ autoscaling: { minReplicas: 2 } }')).toContain(
    "      'a': { x: 1 },\n      'zz-new': { autoscaling: { minReplicas: 2 } },\n    },",
  );
  expect(addServiceOverrides("const environments = {\n  prod: {\n    production: true,\n  },\n};\n", 'prod', 'zz-new', '{ y: 2 }')).toBe(
    "const environments = {\n  prod: {\n    production: true,\n    services: {\n      'zz-new': { y: 2 },\n    },\n  },\n};\n",
  );
});

test('a file of another shape is refused, naming what is missing', () => {
  expect(() => addServiceEntry('export const other = {};\n', entry)).toThrow(new DescriptionShapeError('src/config/platform.ts: no `const platform = { … }` found'));
  expect(() => addServiceEntry('const platform = { services: list };\n', entry)).toThrow('`platform` has no `services: [ … ]` array');
  expect(() => addServiceOverrides('const environments = { dev: {} };\n', 'prod', 'x', '{}')).toThrow('`environments` has no `prod: { … }` object');
});
