/** `npm run deploy`'s command line (src/deploy/automation.ts): what each flag asks of the Automation API. */
import { parseDeployArguments } from '../../src/deploy/automation';

test('preview --refresh --expect-no-changes: a refreshed preview that fails on any change', () => {
  expect(parseDeployArguments(['preview', '--refresh', '--expect-no-changes', '--stack', 'dev'])).toEqual({
    command: 'preview', stack: 'dev', expectNoChanges: true, refresh: true,
  });
});

test('without flags nothing is refreshed and changes are allowed; the stack may come from PULUMI_STACK', () => {
  expect(parseDeployArguments(['up', '--yes'], { PULUMI_STACK: 'staging' })).toEqual({ command: 'up', stack: 'staging', expectNoChanges: false, refresh: false });
});

test('destroy takes no --refresh, and unknown commands and options are refused with the usage', () => {
  expect(() => parseDeployArguments(['destroy', '--refresh', '--stack', 'dev'])).toThrow(/unknown option --refresh; usage: npm run deploy -- <preview\|up\|destroy>/);
  expect(() => parseDeployArguments(['refresh', '--stack', 'dev'])).toThrow(/unknown command "refresh"/);
  expect(() => parseDeployArguments(['up'], {})).toThrow(/no stack/);
});
