/** Pulumi.yaml and the example stack files: the CLI would only find these mistakes at `pulumi up`. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseDeployConfig, type RawDeployConfig } from '../../src/deploy/config';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => parse(readFileSync(join(ROOT, file), 'utf8'));

test('Pulumi.yaml runs the TypeScript entry point through tsx, without ts-node type-checking', () => {
  const project = read('Pulumi.yaml');
  expect(project).toMatchObject({ name: 'mesh-platform', runtime: { name: 'nodejs', options: { typescript: false, nodeargs: '--import tsx' } } });
  expect(existsSync(join(ROOT, project.main))).toBe(true);
});

test.each(['dev', 'prod'])('Pulumi.%s.yaml sets only keys the program reads, with valid values', (stack) => {
  const config: Record<string, unknown> = read(`Pulumi.${stack}.yaml`).config;
  const known = ['environment', 'registry', 'registryUsername', 'baseImages', 'kubeconfig', 'kubeContext', 'installIstio', 'istioPlatform', 'ingressServiceType', 'canary'];
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const [namespace, name] = key.split(':');
    expect(namespace).toBe('mesh-platform');
    expect(known).toContain(name);
    raw[name] = value;
  }
  expect(parseDeployConfig(raw as RawDeployConfig, stack).environment).toBe(stack);
});
