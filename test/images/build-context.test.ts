import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOCKERIGNORE_FILE,
  expectedDockerignore,
  lockfileClosure,
  packageDirectory,
} from '../../src/images/build-context';
import { serviceBundle, serviceNames } from '../../src/images';
import { REPOSITORY_ROOT } from '../../src/images/services';

describe('Docker build context', () => {
  it('maps a bundled file to the package directory that holds it', () => {
    expect(packageDirectory('node_modules/fastify/lib/route.js')).toBe('node_modules/fastify');
    expect(packageDirectory('node_modules/@fastify/ajv-compiler/index.js')).toBe('node_modules/@fastify/ajv-compiler');
    expect(packageDirectory('node_modules/ajv-formats/node_modules/ajv/dist/ajv.js')).toBe(
      'node_modules/ajv-formats/node_modules/ajv',
    );
    expect(packageDirectory('services/kit/run.ts')).toBeUndefined();
  });

  it('follows dependencies through the lockfile the way Node.js resolves them, nearest first', () => {
    const lockfile = {
      packages: {
        '': { dependencies: { app: '1' } },
        'node_modules/app': { dependencies: { shared: '2', tool: '1' }, optionalDependencies: { 'native-linux': '1' } },
        'node_modules/app/node_modules/shared': {},
        'node_modules/shared': { dependencies: { unused: '1' } },
        'node_modules/tool': { dependencies: { shared: '1' } },
        'node_modules/native-linux': {},
        'node_modules/unrelated': {},
      },
    };
    expect(lockfileClosure(lockfile, ['app']).sort()).toEqual([
      'node_modules/app',
      'node_modules/app/node_modules/shared',
      'node_modules/native-linux',
      'node_modules/shared',
      'node_modules/tool',
    ]);
  });

  it('is committed up to date: .dockerignore lets in exactly the packages the bundles and the bundler need', () => {
    const committed = readFileSync(join(REPOSITORY_ROOT, DOCKERIGNORE_FILE), 'utf8');
    const expected = expectedDockerignore(serviceNames().map(serviceBundle));
    // On failure: run `npm run images` (it rewrites .dockerignore) and commit the file.
    expect(committed).toBe(expected);
    expect(committed).toMatch(/^\*$/m);
    expect(committed).toContain('!node_modules/fastify/');
    expect(committed).toContain('!node_modules/tsx/');
    expect(committed).not.toContain('!node_modules/@pulumi');
  });
});
