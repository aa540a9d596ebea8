/** `npm run local`'s command line: what it accepts, and one clear line with exit 2 for what it does not. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../../src/cli/usage';
import { parseArguments } from '../../src/local/arguments';
import { platform } from '../../src/config/platform';
import { runPackageScript } from '../support/run-script';

describe('parseArguments', () => {
  it('defaults to up in dev, and reads the options', () => {
    expect(parseArguments([])).toEqual({ action: 'up', options: { environment: 'dev' } });
    expect(parseArguments(['down', '--env', 'prod', '--project', 'mine'])).toEqual({ action: 'down', options: { environment: 'prod', project: 'mine' } });
    expect(parseArguments(['--write-only', '--base-port', '0', '--no-build', '--timeout', '30'])).toEqual({
      action: 'write',
      options: { environment: 'dev', basePort: 0, build: false, timeoutMs: 30_000 },
    });
  });

  it.each([
    [['--env', 'qa'], '--env: unknown environment "qa" (known: dev, staging, prod)'],
    [['--env', 'stagin'], 'did you mean "staging"?'],
    [['--env'], '--env needs a value'],
    [['--base-port', '80'], '--base-port: 80 is a privileged port'],
    [['--base-port', '70000'], '--base-port: expected an integer from 0 to 65535, got "70000"'],
    [['--timeout', '1.5'], '--timeout: expected an integer from 1 to 3600, got "1.5"'],
    [['--project', 'My Project'], '--project: "My Project" is not a Compose project name'],
    [['--verbose'], 'unknown option --verbose'],
    [['start'], 'unknown command "start" (commands: up, down)'],
    [['up', 'down'], 'one command at most'],
    [['down', '--write-only'], '--write-only goes with up, not down'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArguments(argv)).toThrow(UsageError);
    expect(() => parseArguments(argv)).toThrow(message);
  });
});

describe('npm run local (the process)', () => {
  it('prints its help, and exits 2 with one line for bad input', () => {
    const help = runPackageScript('local', ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm run local -- [up|down] [options]');
    const bad = runPackageScript('local', ['--env', 'qa']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual(['local: --env: unknown environment "qa" (known: dev, staging, prod)']);
  });

  it('--write-only writes the Compose file and nothing else, without Docker', () => {
    const directory = mkdtempSync(join(tmpdir(), 'local-cli-'));
    try {
      const file = join(directory, 'compose.yaml');
      const written = runPackageScript('local', ['--write-only', '--env', 'staging', '--output', file], { PATH: '/nonexistent' });
      expect(written.stderr).toBe('');
      expect(written.status).toBe(0);
      expect(written.stdout).toContain(`start it: docker-compose -p ${platform.name}-local -f`);
      const compose = parse(readFileSync(file, 'utf8'), { version: '1.1' });
      const environments = Object.values(compose.services).map((service) => (service as { labels: Record<string, string> }).labels['mesh-platform.environment']);
      expect(new Set(environments)).toEqual(new Set(['staging']));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('names the Debian package when Docker is missing (exit 2)', () => {
    const result = runPackageScript('local', ['--no-build'], { PATH: '/nonexistent' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe("local: docker is not installed: install Debian's docker.io package (apt-get install -y docker.io)");
  });
});
