/**
 * The versions checked as cdk8s plugin properties (`kubernetesVersions`, `istioVersions`), in process with cdk8s-cli's
 * own ValidationContext (cdk8s-plugin.test.ts runs the real `cdk8s synth`).
 */
import { NOT_ON_1_27, policyManifestFile } from './fixtures/policy';
import { MeshPlatformValidation } from '../../src/validation/cdk8s-plugin';
import { UnknownVersionError } from '../../src/validation';

// cdk8s-cli exports its plugin API as `cdk8s-cli/plugins` (package exports), which this tsconfig's node resolution does
// not read; the types come from the file itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require('cdk8s-cli/plugins') as typeof import('cdk8s-cli/lib/plugins');

const manifestFile = policyManifestFile();

describe('cdk8s plugin kubernetesVersions and istioVersions', () => {
  async function run(plugin: MeshPlatformValidation): Promise<{ success: boolean; report: string; log: string[] }> {
    const context = new ValidationContext([manifestFile()], './src/validation/cdk8s-plugin.js', '0.1.0', {}, false);
    const log: string[] = [];
    jest.spyOn(context.logger, 'log').mockImplementation((message: string) => void log.push(message));
    await plugin.validate(context);
    return { success: context.report.success, report: JSON.stringify(context.report.toJson()), log };
  }

  it('default to the Kubernetes floor and current level and the supported Istio releases, and fail on a kind Kubernetes 1.27 does not serve', async () => {
    const { success, report, log } = await run(new MeshPlatformValidation());
    expect(success).toBe(false);
    expect(report).toContain(NOT_ON_1_27);
    expect(log).toEqual(['mesh-platform validation: 1 error, 0 warnings in 1 object (Kubernetes 1.27, 1.36; Istio 1.30.8, 1.31.4)']);
  });

  it('check only the versions given', async () => {
    const { success, log } = await run(new MeshPlatformValidation({ kubernetesVersions: ['1.36'], istioVersions: ['1.31.4'] }));
    expect(success).toBe(true);
    expect(log).toEqual(['mesh-platform validation: 0 errors, 0 warnings in 1 object (Kubernetes 1.36; Istio 1.31.4)']);
  });

  it('take an unquoted YAML number that reads as a known version', async () => {
    const { success } = await run(new MeshPlatformValidation({ kubernetesVersions: [1.36 as unknown as string] }));
    expect(success).toBe(true);
  });

  it.each([
    [{ kubernetesVersions: ['1.30'] }, 'unknown Kubernetes version "1.30" (known: 1.27, 1.36)'],
    [{ kubernetesVersions: [1.3 as unknown as string] }, 'write versions as strings: YAML reads 1.30 as the number 1.3'],
    [{ istioVersions: ['1.9.0'] }, 'unknown Istio version "1.9.0" (known: 1.22.8, 1.30.8, 1.31.4)'],
  ])('fail at construction on %j, naming the known versions', (props, message) => {
    expect(() => new MeshPlatformValidation(props)).toThrow(UnknownVersionError);
    expect(() => new MeshPlatformValidation(props)).toThrow(message);
  });
});
