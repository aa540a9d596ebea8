/** The command-line tools' shared parsing (src/cli/usage.ts): util.parseArgs, with errors that name the option. */
import { parseCommandLine, UsageError } from '../../src/cli/usage';

const OPTIONS = {
  env: { type: 'string' },
  push: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

test('reads values in both forms, flags, short aliases and positionals, after -- too', () => {
  expect(parseCommandLine(['up', '--env', 'prod', '--push', '-h'], OPTIONS)).toEqual({
    values: { env: 'prod', push: true, help: true }, positionals: ['up'],
  });
  expect(parseCommandLine(['--env=staging', '--', '--push'], OPTIONS)).toEqual({ values: { env: 'staging' }, positionals: ['--push'] });
});

test.each([
  [['--verbose'], 'unknown option --verbose; see --help'],
  [['-x'], 'unknown option -x; see --help'],
  [['--env'], '--env needs a value; see --help'],
  [['--env', '--push'], '--env needs a value; see --help'],
  [['--push=yes'], '--push takes no value; see --help'],
])('refuses %j naming the option', (argv, message) => {
  expect(() => parseCommandLine(argv, OPTIONS, '; see --help')).toThrow(new UsageError(message));
});
