/**
 * The image build stage's bundler (images/Dockerfile runs it with `node --import tsx`): bundles every service with the
 * host's options, writes `<out-dir>/<service>.js`, and fails the build when `BUNDLE_SHA256S`
 * (`<service>=<hex>,<service>=<hex>...`, the host's hashes) is set and a bundle hashes differently, so an image never
 * carries a tag that is not the hash of what it runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleServices } from '../bundle';
import { serviceNames } from '../services';

/** Parses `BUNDLE_SHA256S` into service -> expected hex SHA-256. */
function expectedHashes(value: string): Map<string, string> {
  const entries = value
    .split(',')
    .filter((entry) => entry !== '')
    .map((entry) => entry.split('='));
  for (const entry of entries) {
    if (entry.length !== 2 || !/^[0-9a-f]{64}$/.test(entry[1] ?? '')) {
      throw new Error(`BUNDLE_SHA256S: "${entry.join('=')}" is not <service>=<hex sha256>`);
    }
  }
  return new Map(entries as [string, string][]);
}

function main(): void {
  const outIndex = process.argv.indexOf('--out-dir');
  const outDirectory = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
  if (!outDirectory) {
    throw new Error('usage: [BUNDLE_SHA256S=<service>=<hex>,...] node --import tsx src/images/cli/bundle.ts --out-dir <dir>');
  }
  const expected = expectedHashes(process.env.BUNDLE_SHA256S ?? '');
  const bundles = bundleServices(serviceNames());
  for (const [service, hash] of expected) {
    const bundle = bundles.find((candidate) => candidate.service === service);
    if (!bundle) throw new Error(`BUNDLE_SHA256S names ${service}, which is not a service here`);
    if (bundle.sha256 !== hash) {
      throw new Error(
        `${service}: the bundle built in the image hashes to ${bundle.sha256}, but the host computed ${hash}. ` +
          'The build context differs from the host tree: run `npm ci` and `npm run images` again from a clean checkout.',
      );
    }
  }
  mkdirSync(outDirectory, { recursive: true });
  for (const bundle of bundles) {
    writeFileSync(join(outDirectory, `${bundle.service}.js`), bundle.contents);
    process.stdout.write(`${bundle.service}: ${bundle.contents.byteLength} bytes, sha256 ${bundle.sha256}\n`);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`bundle: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
