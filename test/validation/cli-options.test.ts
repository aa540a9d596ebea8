/** The versions checked as CLI options (`--kubernetes`, `--istio`), in process (cli.test.ts runs the real process). */
import { NOT_ON_1_27, policyManifestFile } from './fixtures/policy';
import { UsageError } from '../../src/cli/usage';
import { main, parseArguments } from '../../src/validation/cli';

const manifestFile = policyManifestFile();

describe('CLI --kubernetes and --istio', () => {
  it('parse comma-separated lists, in both option forms, with --istio-versions as an alias', () => {
    expect(parseArguments(['--kubernetes', '1.27,1.36', '--istio', '1.31.4', 'dist/prod'])).toEqual({
      format: 'text', paths: ['dist/prod'], oneSet: false, options: { production: false, kubernetesVersions: ['1.27', '1.36'], istioVersions: ['1.31.4'] },
    });
    expect(parseArguments(['--kubernetes=1.36', '--istio-versions=1.30.8, 1.31.4', 'a.yaml'])).toMatchObject({
      options: { kubernetesVersions: ['1.36'], istioVersions: ['1.30.8', '1.31.4'] },
    });
  });

  it('leave the defaults to the validator when not given', () => {
    expect(parseArguments(['a.yaml'])).toEqual({ format: 'text', paths: ['a.yaml'], oneSet: false, options: { production: false } });
    expect(parseArguments(['--strict', '--one-set', 'dist'])).toEqual({ format: 'text', paths: ['dist'], oneSet: true, options: { production: false, strict: true } });
  });

  it.each([
    [['--kubernetes', '1.30', 'a.yaml'], 'unknown Kubernetes version "1.30" (known: 1.27, 1.36)'],
    [['--kubernetes', '1.27,1.35', 'a.yaml'], 'unknown Kubernetes version "1.35" (known: 1.27, 1.36)'],
    [['--istio', '1.9.0', 'a.yaml'], 'unknown Istio version "1.9.0" (known: 1.22.8, 1.30.8, 1.31.4)'],
    [['--kubernetes', ',', 'a.yaml'], 'no Kubernetes version given (known: 1.27, 1.36)'],
    [['a.yaml', '--istio'], '--istio needs a value'],
  ])('reject %j as a usage error naming the known versions', (argv, message) => {
    expect(() => parseArguments(argv)).toThrow(UsageError);
    expect(() => parseArguments(argv)).toThrow(message);
  });

  it('check against the versions asked for (exit 1 on a kind 1.27 lacks by default, 0 with only 1.36)', () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(main([manifestFile()], (text) => out.push(text), (text) => err.push(text))).toBe(1);
    expect(out.join('\n')).toContain(NOT_ON_1_27);
    expect(main(['--kubernetes', '1.36', manifestFile()], (text) => out.push(text), (text) => err.push(text))).toBe(0);
    expect(err).toEqual([]);
  });

  it('exit 2 on an unknown version, with the usage', () => {
    const err: string[] = [];
    expect(main(['--kubernetes', '1.30', manifestFile()], () => undefined, (text) => err.push(text))).toBe(2);
    expect(err.join('\n')).toMatch(/^validate: unknown Kubernetes version "1.30" \(known: 1.27, 1.36\)\n\nusage: /);
  });
});
