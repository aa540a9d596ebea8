import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleServices, sha256 } from '../../src/images/bundle';
import { platform } from '../../src/config/platform';
import { bundleDigest, imageReferences, imageTag, normalizeRegistry, serviceBundle, serviceNames } from '../../src/images';
import { bundleDigests } from '../../src/images/bundle-digests';

/** Bundles one service of a root on its own. */
const bundleAlone = (service: string, root?: string) => bundleServices([service], root)[0];

/** A throwaway repository root holding one dependency-free service, to watch tags follow content. */
function fixtureRoot(source: string): string {
  const root = mkdtempSync(join(tmpdir(), 'images-tags-'));
  mkdirSync(join(root, 'services', 'echo-service', 'src'), { recursive: true });
  mkdirSync(join(root, 'services', 'kit'), { recursive: true });
  writeFileSync(join(root, 'services', 'echo-service', 'src', 'main.ts'), source);
  return root;
}

describe('image references', () => {
  it('names every service folder with an entry, and not the shared kit', () => {
    const root = fixtureRoot('export {};');
    try {
      expect(serviceNames(root)).toEqual(['echo-service']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    // Every service of the description whose versions do not all pin an image has its folder, hence its image.
    const built = platform.services.filter((s) => s.versions.some((v) => !v.image)).map((s) => s.name);
    expect(serviceNames()).toEqual(expect.arrayContaining(built));
    expect(serviceNames()).not.toContain('kit');
  });

  it('gives each service <registry>/<service>:sha256-<16 hex of its bundle>, never :latest', () => {
    const references = imageReferences('registry.example.com/shop/');
    expect(Object.keys(references).sort()).toEqual(serviceNames());
    for (const [service, reference] of Object.entries(references)) {
      const digest = sha256(serviceBundle(service).contents);
      expect(reference).toBe(`registry.example.com/shop/${service}:sha256-${digest.slice(0, 16)}`);
      expect(reference).not.toMatch(/:latest$/);
    }
  });

  it('bundles deterministically, and a service alone to the same bytes as in the build of all services', () => {
    for (const service of serviceNames()) {
      const alone = bundleAlone(service);
      expect(alone?.sha256).toBe(serviceBundle(service).sha256);
      expect(Buffer.from(alone?.contents ?? []).equals(Buffer.from(serviceBundle(service).contents))).toBe(true);
    }
  });

  it('changes the tag when, and only when, the bundled code changes', () => {
    const root = fixtureRoot('console.log("v1");\n');
    try {
      const first = bundleAlone('echo-service', root)?.sha256;
      expect(bundleAlone('echo-service', root)?.sha256).toBe(first);
      writeFileSync(join(root, 'services', 'echo-service', 'src', 'main.ts'), 'console.log("v2");\n');
      expect(bundleAlone('echo-service', root)?.sha256).not.toBe(first);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names the service and the source location when a service does not bundle', () => {
    const root = fixtureRoot('import { missing } from "./nowhere";\nconsole.log(missing);\n');
    try {
      expect(() => bundleAlone('echo-service', root)).toThrow(
        /cannot bundle echo-service: services\/echo-service\/src\/main\.ts:1: Could not resolve "\.\/nowhere"/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("takes each tag's digest from the cache only while it is the digest of the bundle as built now", () => {
    for (const service of serviceNames()) expect(bundleDigest(service)).toBe(serviceBundle(service).sha256);
  });

  it('rejects a malformed registry with the expected form', () => {
    expect(normalizeRegistry('localhost:5000/shop/')).toBe('localhost:5000/shop');
    for (const bad of ['https://registry.example.com', 'Registry.example.com', 'registry.example.com/shop:v1', '']) {
      expect(() => imageReferences(bad)).toThrow(/expected a lower-case registry path such as "registry.example.com\/shop"/);
    }
  });

  it('names the expected entry for an unknown service', () => {
    expect(() => serviceBundle('zz-no-such-service')).toThrow(
      `no service "zz-no-such-service": expected services/zz-no-such-service/src/main.ts (services: ${serviceNames().join(', ')})`,
    );
  });

  it('refuses to make a tag from something that is not a SHA-256 digest', () => {
    expect(imageTag('a'.repeat(64))).toBe(`sha256-${'a'.repeat(16)}`);
    expect(() => imageTag('latest')).toThrow(/"latest" is not a hex SHA-256 digest/);
  });
});

describe('the cache of bundle digests', () => {
  /** Waits until the files written so far are more than a second old: only then is a bundling recorded (see manifest.js). */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1100));
  const write = (root: string, path: string, contents: string) => writeFileSync(join(root, 'services', 'echo-service', 'src', path), contents);
  let root: string;
  beforeEach(async () => {
    root = fixtureRoot('import { message } from "./message";\nconsole.log(message);\n');
    write(root, 'message.ts', 'export const message = "v1";\n');
    await settle();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('bundles once, then gives the same digest without bundling until a source changes, and a new one after', async () => {
    const first = bundleDigests(['echo-service'], root);
    expect(first).toEqual({ digests: { 'echo-service': bundleAlone('echo-service', root)?.sha256 }, cached: false });
    expect(bundleDigests(['echo-service'], root)).toEqual({ ...first, cached: true });

    write(root, 'message.ts', 'export const message = "v2";\n');
    await settle();
    const changed = bundleDigests(['echo-service'], root);
    expect(changed.cached).toBe(false);
    expect(changed.digests['echo-service']).toBe(bundleAlone('echo-service', root)?.sha256);
    expect(changed.digests['echo-service']).not.toBe(first.digests['echo-service']);
    expect(bundleDigests(['echo-service'], root)).toEqual({ ...changed, cached: true });

    // Back to the first code, back to the first tag.
    write(root, 'message.ts', 'export const message = "v1";\n');
    expect(bundleDigests(['echo-service'], root)).toEqual(first);
  });

  it('notices a file that changes what an import resolves to, and ignores files the bundle does not read', async () => {
    const first = bundleDigests(['echo-service'], root);
    writeFileSync(join(root, 'README.md'), 'not part of any image\n');
    expect(bundleDigests(['echo-service'], root)).toEqual({ ...first, cached: true });

    // esbuild resolves ./message to message.tsx before message.ts.
    write(root, 'message.tsx', 'export const message = "shadowed";\n');
    const shadowed = bundleDigests(['echo-service'], root);
    expect(shadowed.cached).toBe(false);
    expect(shadowed.digests['echo-service']).not.toBe(first.digests['echo-service']);
    expect(shadowed.digests['echo-service']).toBe(bundleAlone('echo-service', root)?.sha256);
  });
});
