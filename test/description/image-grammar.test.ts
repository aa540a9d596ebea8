/** One grammar of images and registries (src/description/image-grammar.ts): what the schema accepts, src/images takes. */
import { platform } from '../../src/config/platform';
import { isPinnedImage, parseImageReference } from '../../src/description/image-grammar';
import { PlatformConfigError, resolvePlatformSpec } from '../../src/description';
import { normalizeRegistry } from '../../src/images';
import { TEST_IMAGES } from '../support/platform';

/** Whether the description's schema accepts `registry` (in the dev environment). */
function schemaAccepts(registry: string): boolean {
  try {
    resolvePlatformSpec({ description: platform, environment: 'dev', overrides: { registry }, images: TEST_IMAGES });
    return true;
  } catch (error) {
    if (error instanceof PlatformConfigError) return false;
    throw error;
  }
}

/** Whether src/images makes references under `registry`. */
function imagesAccept(registry: string): boolean {
  try {
    normalizeRegistry(registry);
    return true;
  } catch {
    return false;
  }
}

test.each([
  ['registry.example.com/shop', true],
  ['localhost:5000/shop', true],
  ['localhost:5000', true],
  ['mesh-platform', true],
  ['ghcr.io/acme/mesh__platform/a-b--c', true],
  ['registry.example.com/shop.-x', false],
  ['registry.example.com/-shop', false],
  ['registry.example.com//shop', false],
  ['Registry.example.com/shop', false],
  ['registry.example.com/Shop', false],
  ['registry.example.com/shop:v1', false],
  ['https://registry.example.com/shop', false],
  ['<a name of 276 characters>', false],
])('registry %s: accepted %s by the schema and by the image references alike', (text, accepted) => {
  const registry = text.startsWith('<') ? `registry.example.com/${'a'.repeat(255)}` : text;
  expect({ schema: schemaAccepts(registry), images: imagesAccept(registry) }).toEqual({ schema: accepted, images: accepted });
});

test('a reference splits into name, tag and digest by the grammar; the platform deploys pinned ones only', () => {
  const digest = `sha256:${'c'.repeat(64)}`;
  expect(parseImageReference(`localhost:5000/shop/user-service:sha256-1@${digest}`)).toEqual({ name: 'localhost:5000/shop/user-service', tag: 'sha256-1', digest });
  expect(parseImageReference('registry.example.com/shop/user-service:')).toBeUndefined();
  expect(['r.io/shop/a:v1', `r.io/shop/a@${digest}`, `r.io/shop/a:v1@${digest}`].filter(isPinnedImage)).toHaveLength(3);
  expect(['r.io/shop/a', 'r.io/shop/a:latest', 'postgres:17', `r.io/shop/a@sha256:${'c'.repeat(12)}`].filter(isPinnedImage)).toEqual([]);
});
