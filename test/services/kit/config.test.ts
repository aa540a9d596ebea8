import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EnvReader, readBaseConfig } from '../../../services/kit/config';

/** The problems reported when `read` reads from `env`. */
function problemsOf(env: NodeJS.ProcessEnv, read: (reader: EnvReader) => unknown): readonly string[] {
  try {
    const reader = new EnvReader(env);
    reader.done(read(reader));
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('EnvReader', () => {
  it('applies the documented defaults when nothing is set', () => {
    expect(readBaseConfig(new EnvReader({}))).toEqual({
      port: 8080,
      host: '0.0.0.0',
      serviceVersion: 'dev',
      logLevel: 'info',
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 10000,
    });
  });

  it('reads valid values and treats empty strings as unset', () => {
    const reader = new EnvReader({ PORT: ' 9090 ', SERVICE_VERSION: 'v2', LOG_LEVEL: 'debug', SHUTDOWN_DELAY_MS: '' });
    expect(reader.done(readBaseConfig(reader))).toMatchObject({
      port: 9090,
      serviceVersion: 'v2',
      logLevel: 'debug',
      shutdownDelayMs: 0,
    });
  });

  it('reports every invalid variable by name, with the value and the fix', () => {
    expect(problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', SHUTDOWN_TIMEOUT_MS: '-1' }, readBaseConfig)).toEqual([
      'PORT="eighty": expected an integer from 0 to 65535 (unset it to use the default 8080)',
      'LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent (unset it to use the default info)',
      'SHUTDOWN_TIMEOUT_MS="-1": expected an integer from 0 to 600000 (unset it to use the default 10000)',
    ]);
  });

  it('rejects a SERVICE_VERSION that cannot be sent as the x-service-version header', () => {
    // Node refuses such a header value: every response, /healthz included, would be a 500.
    expect(problemsOf({ SERVICE_VERSION: 'v1\u2014beta' }, readBaseConfig)).toEqual([
      'SERVICE_VERSION="v1\u2014beta": expected printable ASCII (letters, digits, punctuation), at most 128 characters, since it is sent as the x-service-version header (unset it to use the default dev)',
    ]);
    expect(problemsOf({ SERVICE_VERSION: 'v1.2.3-rc.1+build.7' }, readBaseConfig)).toEqual([]);
  });

  it('rejects a HOST that is neither an IP address nor a host name', () => {
    expect(problemsOf({ HOST: 'not a host' }, readBaseConfig)).toEqual([
      'HOST="not a host": expected an IP address (e.g. 0.0.0.0, ::) or a host name (unset it to use the default 0.0.0.0)',
    ]);
    for (const host of ['127.0.0.1', '::', '::1', 'localhost', 'my-pod.svc.cluster.local']) {
      expect(problemsOf({ HOST: host }, readBaseConfig)).toEqual([]);
    }
  });

  it('rejects fractions for integers, out-of-range numbers and non-http URLs', () => {
    expect(
      problemsOf({ A: '1.5', B: '1.5', C: 'ftp://x', D: 'not a url' }, (reader) => [
        reader.integer('A', { default: 1 }),
        reader.number('B', { default: 0, min: 0, max: 1 }),
        reader.url('C', 'http://c'),
        reader.url('D', 'http://d'),
      ]),
    ).toEqual([
      'A="1.5": expected an integer (unset it to use the default 1)',
      'B="1.5": expected a number from 0 to 1 (unset it to use the default 0)',
      'C="ftp://x": expected an absolute http:// or https:// URL (unset it to use the default http://c)',
      'D="not a url": expected an absolute http:// or https:// URL (unset it to use the default http://d)',
    ]);
  });

  it('strips trailing slashes from URLs', () => {
    expect(new EnvReader({ U: 'http://user-service:8080/' }).url('U', 'x')).toBe('http://user-service:8080');
  });

  describe('secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-secret-'));
    const file = join(dir, 'api-key');
    writeFileSync(file, 'from-file\n');

    it('reads the variable, or the file named by <NAME>_FILE without its trailing newline', () => {
      expect(new EnvReader({ KEY: 'direct' }).secret('KEY')).toBe('direct');
      expect(new EnvReader({ KEY_FILE: file }).secret('KEY')).toBe('from-file');
      expect(new EnvReader({}).secret('KEY')).toBeUndefined();
    });

    it('names the variable and path when the file cannot be read, never the value', () => {
      expect(problemsOf({ KEY_FILE: join(dir, 'missing') }, (reader) => reader.secret('KEY'))).toEqual([
        `KEY_FILE="${join(dir, 'missing')}": cannot read the file (ENOENT): mount it or unset KEY_FILE`,
      ]);
      const problems = problemsOf({ KEY: 'top-secret', KEY_FILE: file }, (reader) => reader.secret('KEY'));
      expect(problems).toEqual(['KEY and KEY_FILE are both set: set only one of them']);
      expect(problems.join()).not.toContain('top-secret');
    });
  });
});
