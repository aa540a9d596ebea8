/** The toolchain's versions agree with the npm packages that talk to it, and its wrapper modules replace what they must. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localReplaces } from '../../src/toolchain/go';
import { TOOLCHAIN } from '../../src/versions';

const lock = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package-lock.json'), 'utf8'));
const locked = (name: string) => lock.packages[`node_modules/${name}`].version as string;

test('the Pulumi CLI is built at the release of @pulumi/pulumi in the lockfile', () => {
  expect(TOOLCHAIN.pulumi.release).toBe(locked('@pulumi/pulumi'));
  expect(TOOLCHAIN.pulumi.version).toBe(`v${locked('@pulumi/pulumi')}`);
});

test('the Kubernetes provider plugin is built at the release of @pulumi/kubernetes in the lockfile, which asks for that plugin', () => {
  expect(TOOLCHAIN.pulumiKubernetes.release).toBe(locked('@pulumi/kubernetes'));
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'node_modules', '@pulumi', 'kubernetes', 'package.json'), 'utf8'));
  expect(pkg.pulumi).toMatchObject({ resource: true, name: 'kubernetes', version: TOOLCHAIN.pulumiKubernetes.release });
});

describe('localReplaces', () => {
  test('finds required modules replaced with local paths, in blocks and single lines', () => {
    const goMod = [
      'module example.com/tool',
      'require (',
      '\tk8s.io/api v0.0.0',
      '\tgithub.com/other/dep v1.2.3 // indirect',
      ')',
      'require go.etcd.io/etcd/api/v3 v3.6.16',
      'replace (',
      '\tk8s.io/api => ./staging/src/k8s.io/api',
      '\tgithub.com/other/dep => github.com/fork/dep v1.2.4',
      ')',
      'replace go.etcd.io/etcd/api/v3 => ../api',
      'replace go.etcd.io/etcd => ./FORBIDDEN_DEPENDENCY',
    ].join('\n');
    expect(localReplaces(goMod)).toEqual(['k8s.io/api', 'go.etcd.io/etcd/api/v3']);
  });
});
