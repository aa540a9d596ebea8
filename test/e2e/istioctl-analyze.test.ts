/**
 * `istioctl analyze` (Istio's own analyzers, from istioctl of the installed release) on every environment's output,
 * offline (`--use-kube=false`): no error-level message. Its warnings and infos are shown, not failed on.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { imageReferences } from '../../src/images/index';
import { synthesizePlatform } from '../../src/platform';
import { ENVIRONMENTS } from '../../src/description';
import { requireTool } from '../../src/toolchain/index';

const dir = mkdtempSync(join(tmpdir(), 'istioctl-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs istioctl; resolves with its exit code and output. */
function istioctl(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(requireTool('istioctl'), args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

test.each(ENVIRONMENTS)('%s: istioctl analyze reports no error', async (env) => {
  const file = join(dir, `${env}.yaml`);
  const { objects } = synthesizePlatform(env, { images: imageReferences });
  writeFileSync(file, objects.map((object) => stringify(object)).join('---\n'));
  const result = await istioctl(['analyze', '--use-kube=false', '--failure-threshold', 'Error', '--output-threshold', 'Info', '--all-namespaces', file]);
  if (result.output.trim() !== '') process.stderr.write(`istioctl analyze ${env}:\n${result.output}\n`);
  expect({ code: result.code, errors: result.output.split('\n').filter((line) => line.startsWith('Error')) }).toEqual({ code: 0, errors: [] });
});
