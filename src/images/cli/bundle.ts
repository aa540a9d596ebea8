/**
 * The image build stage's bundler (images/Dockerfile runs it with `node --import tsx`): bundles the service named by
 * `SERVICE` with the same options as the host, writes it to the `--out` path, and fails the build when `BUNDLE_SHA256`
 * is set and the bytes hash differently, so an image never carries a tag that is not the hash of what it runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleServices } from '../bundle';
import { serviceNames } from '../services';

function main(): void {
  const service = process.env.SERVICE;
  const expected = process.env.BUNDLE_SHA256 ?? '';
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
  if (!service || !out) {
    throw new Error('usage: SERVICE=<name> [BUNDLE_SHA256=<hex>] node --import tsx src/images/cli/bundle.ts --out <file>');
  }
  // Every service in one build, exactly as the host computes the tags (see bundleOptions).
  const bundle = bundleServices(serviceNames()).find((candidate) => candidate.service === service);
  if (!bundle) throw new Error(`no service "${service}" (services: ${serviceNames().join(', ')})`);
  if (expected !== '' && bundle.sha256 !== expected) {
    throw new Error(
      `${service}: the bundle built in the image hashes to ${bundle.sha256}, but the host computed ${expected}. ` +
        'The build context differs from the host tree: run `npm ci` and `npm run images` again from a clean checkout.',
    );
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bundle.contents);
  process.stdout.write(`${service}: bundled ${bundle.contents.byteLength} bytes, sha256 ${bundle.sha256}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`bundle: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
