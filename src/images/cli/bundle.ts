/**
 * The image build stage's bundler (images/Dockerfile runs it with `node --import tsx`): bundles every service with the
 * host's options (`bundleOptions`) and writes `<out-dir>/<service>.js`. The runtime stage then checks the bundle it
 * copies against the host's hash (`BUNDLE_SHA256`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleServices } from '../bundle';
import { serviceNames } from '../services';

function main(): void {
  // Node's parser alone: the image's build context holds src/images/ only, not src/cli/.
  const outDirectory = parseArgs({ options: { 'out-dir': { type: 'string' } } }).values['out-dir'];
  if (!outDirectory) throw new Error('usage: node --import tsx src/images/cli/bundle.ts --out-dir <dir>');
  mkdirSync(outDirectory, { recursive: true });
  for (const bundle of bundleServices(serviceNames())) {
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
