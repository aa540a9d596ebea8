/**
 * `npm run deploy -- <preview|up|destroy> --stack <name> [--yes] [--refresh] [--expect-no-changes]`: the Pulumi program of this
 * repository run through Pulumi's Automation API, in this process, by the `pulumi` CLI found on PATH.
 *
 * Same program, same stack files (Pulumi.<stack>.yaml), same backend and passphrase variables as `pulumi up`; the
 * difference is that the program runs here instead of in Pulumi's nodejs language host, so a Pulumi CLI without that
 * plugin (the one the toolchain builds from Go modules: the language host's module is not served) deploys too.
 */
import { LocalWorkspace, type EngineEvent, type PulumiFn } from '@pulumi/pulumi/automation';
import { parseCommandLine, UsageError } from '../cli/usage';
import { REPOSITORY_ROOT } from '../images/services';
import { runProgram } from './program';

const COMMANDS = ['preview', 'up', 'destroy'] as const;
type Command = (typeof COMMANDS)[number];

const USAGE = `usage: npm run deploy -- <${COMMANDS.join('|')}> --stack <name> [--yes] [--refresh] [--expect-no-changes]`;

/** The parsed command line. */
export interface DeployArguments {
  readonly command: Command;
  /** Stack name (`--stack`, else $PULUMI_STACK). */
  readonly stack: string;
  /** `--expect-no-changes`: fail when the preview or update would change anything. @default false */
  readonly expectNoChanges: boolean;
  /**
   * `--refresh` (preview, up): read every resource from the cluster first, as `pulumi preview --refresh` does, so the
   * plan compares against what controllers (Flagger, the autoscalers) wrote since the last update. @default false
   */
  readonly refresh: boolean;
}

/** Parses the command line; `--yes` is accepted for symmetry with the CLI (the Automation API never prompts). */
export function parseDeployArguments(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DeployArguments {
  const [command, ...rest] = argv;
  if (!isCommand(command)) throw new UsageError(`unknown command "${command ?? ''}"; ${USAGE}`);
  const { values, positionals } = parseCommandLine(rest, {
    stack: { type: 'string', short: 's' },
    'expect-no-changes': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    // A destroy reads nothing first.
    ...(command !== 'destroy' ? { refresh: { type: 'boolean' } } : {}),
  } as const, `; ${USAGE}`);
  if (positionals.length > 0) throw new UsageError(`unknown argument ${positionals[0]}; ${USAGE}`);
  const stack = values.stack ?? env.PULUMI_STACK;
  if (!stack) throw new UsageError(`no stack: pass --stack <name> or set PULUMI_STACK; ${USAGE}`);
  return { command, stack, expectNoChanges: values['expect-no-changes'] ?? false, refresh: values.refresh === true };
}

const isCommand = (text: string | undefined): text is Command => (COMMANDS as readonly (string | undefined)[]).includes(text);

/** The program, exactly as src/deploy/index.ts runs it under `pulumi up`. */
const program: PulumiFn = async () => ({ ...(await runProgram()) });

/** One step the engine planned that changes something: `update kubernetes:networking.istio.io/v1:VirtualService order-service`. */
function changedStep(event: EngineEvent): string | undefined {
  const metadata = event.resourcePreEvent?.metadata;
  // `refresh` steps (with --refresh) only read the cluster: what differs from the program shows in the steps that follow.
  if (!metadata || ['same', 'read', 'refresh'].includes(metadata.op)) return undefined;
  return `${metadata.op} ${metadata.type} ${metadata.urn.slice(metadata.urn.lastIndexOf('::') + 2)}`;
}

/**
 * Runs one command against the stack, streams the engine's output to stdout and ends with one `changed: <op> <type>
 * <name>` line per resource step that is not a no-op (what a reviewer and the e2e tests read).
 */
export async function runDeploy({ command, stack: stackName, expectNoChanges, refresh }: DeployArguments): Promise<void> {
  const stack = await LocalWorkspace.createOrSelectStack({ stackName, projectName: 'mesh-platform', program }, { workDir: REPOSITORY_ROOT });
  const changes: string[] = [];
  const onOutput = (text: string) => process.stdout.write(text);
  const onEvent = (event: EngineEvent) => {
    const step = changedStep(event);
    if (step) changes.push(step);
  };
  try {
    if (command === 'preview') await stack.preview({ onOutput, onEvent, expectNoChanges, refresh, diff: true });
    else if (command === 'up') await stack.up({ onOutput, onEvent, expectNoChanges, refresh });
    else await stack.destroy({ onOutput, onEvent });
  } finally {
    for (const change of changes) process.stdout.write(`changed: ${change}\n`);
  }
}

// Run directly, or from the launcher's bundle, which names this file in process.argv[1].
if (require.main === module || process.argv[1] === __filename) {
  Promise.resolve()
    .then(() => runDeploy(parseDeployArguments(process.argv.slice(2))))
    .catch((error: Error) => {
      process.stderr.write(`deploy: ${error.message}\n`);
      process.exitCode = 1;
    });
}
