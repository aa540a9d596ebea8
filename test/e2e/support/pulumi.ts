/**
 * A writable copy of the project with its own Pulumi home and a local file backend, and the commands the tests run in
 * it: the real `pulumi` CLI (config, stack outputs, state) and `npm run deploy` (the program through the Automation
 * API, since the toolchain's CLI has no nodejs language host). Every command's output is kept, so a test can prove
 * a secret appears in none of it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { REPOSITORY_ROOT } from '../../../src/images/services';
import { requireTool } from '../../../src/toolchain/index';
import { kubeconfig, toolchainBin } from './cluster';
import { runImages } from './images';

/** What a command printed and how it exited. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Top-level entries never copied: installed packages (linked instead), git data, build output. */
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'cdk.out']);

/** The copy and its environment. */
export class PulumiProject {
  /** The project copy (Pulumi.<stack>.yaml files are written here). */
  readonly dir: string;
  /** The file backend's directory: the state, checked for plain-text secrets. */
  readonly stateDir: string;
  /** Everything every command printed. */
  readonly log: string[] = [];
  private readonly root: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(passphrase: string) {
    // Fails by name when the engine or its provider could not be built, before copying anything.
    for (const binary of ['pulumi', 'pulumi-resource-kubernetes']) requireTool(binary);
    this.root = mkdtempSync(join(tmpdir(), 'mesh-pulumi-'));
    this.dir = join(this.root, 'project');
    this.stateDir = join(this.root, 'state');
    mkdirSync(this.stateDir);
    cpSync(REPOSITORY_ROOT, this.dir, { recursive: true, filter: (source) => !(SKIPPED.has(basename(source)) && isTopLevel(source)) });
    // Hard links, not a symlink: esbuild resolves symlinks, so a linked node_modules would put other paths into the
    // bundles and give the copy other content-addressed tags than the checkout whose images were pushed.
    execFileSync('cp', ['-al', join(REPOSITORY_ROOT, 'node_modules'), join(this.dir, 'node_modules')]);
    this.env = {
      ...process.env,
      PATH: `${toolchainBin()}:${process.env.PATH ?? ''}`,
      PULUMI_HOME: join(this.root, 'pulumi-home'),
      PULUMI_BACKEND_URL: `file://${this.stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      // Plugins come from the toolchain on PATH; nothing is downloaded.
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_SKIP_CONFIRMATIONS: 'true',
      NO_COLOR: '1',
    };
  }

  /** The real CLI: `pulumi <args>` in the copy, with `input` on stdin. */
  pulumi(args: readonly string[], input?: string): Promise<CommandResult> {
    return this.run(requireTool('pulumi'), [...args, '--non-interactive'], input);
  }

  /** `npm run deploy -- <args>` in the copy (preview, up, destroy through the Automation API). */
  deploy(args: readonly string[]): Promise<CommandResult> {
    return this.run('node', ['src/build-cache/run-entry.js', 'src/deploy/automation.ts', ...args]);
  }

  /** Removes the copy, the Pulumi home and the state. */
  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private run(command: string, args: readonly string[], input?: string): Promise<CommandResult> {
    return new Promise((resolve) => {
      const child = execFile(command, args, { cwd: this.dir, env: this.env, maxBuffer: 256 * 1024 * 1024, timeout: 900_000 }, (error, stdout, stderr) => {
        this.log.push(`$ ${basename(command)} ${args.join(' ')}\n${stdout}\n${stderr}`);
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
      child.stdin?.end(input ?? '');
    });
  }
}

function isTopLevel(source: string): boolean {
  return join(source, '..') === REPOSITORY_ROOT;
}

/** Every line `npm run deploy` printed as `changed: <op> <type> <name>`. */
export function changedSteps(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('changed: ')).map((line) => line.slice('changed: '.length));
}

/** Fails with the command's output when it did not exit 0. */
export function succeeded(result: CommandResult, what: string): CommandResult {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stdout.slice(-8000)}\n${result.stderr.slice(-8000)}`);
  return result;
}

/**
 * Creates stack `stack` of dev in `project`, deploying to the e2e cluster the `images` pushed to `registry`, without
 * installing Istio (the global setup installed its CRDs), with the in-cluster PostgreSQL's superuser password.
 */
export async function initDevStack(project: PulumiProject, stack: string, options: { registry: string; images: Readonly<Record<string, string>>; postgresPassword: string }): Promise<void> {
  succeeded(await project.pulumi(['stack', 'init', stack]), 'pulumi stack init');
  const config: [string, string][] = [
    ['environment', 'dev'],
    ['kubeconfig', kubeconfig()],
    ['registry', options.registry],
    ['installIstio', 'false'],
  ];
  // One command per kind of key (each `pulumi` start costs a second or two on a loaded machine): plain strings, then paths.
  const plain = config.flatMap(([key, value]) => ['--plaintext', `${key}=${value}`]);
  succeeded(await project.pulumi(['config', 'set-all', ...plain]), 'pulumi config set-all');
  const images = Object.entries(options.images).flatMap(([service, reference]) => ['--plaintext', `images["${service}"]=${reference}`]);
  succeeded(await project.pulumi(['config', 'set-all', '--path', ...images]), 'pulumi config set-all --path images');
  // The value on stdin, as a user would pipe it: never on a command line (or in the test's command log).
  succeeded(await project.pulumi(['config', 'set', '--secret', 'postgresPassword'], options.postgresPassword), 'pulumi config set --secret postgresPassword');
}

/**
 * A new copy of the project with stack `stack` of dev (as {@link initDevStack} makes it, with the run's images) under
 * platform name `name` (stack config `overrides.name`, also its namespace): apart from every other file's objects.
 */
export async function devStackProject(stack: string, name: string, postgresPassword: string): Promise<PulumiProject> {
  const project = new PulumiProject(randomBytes(16).toString('hex'));
  // dev runs PostgreSQL in the cluster: its superuser password, from which each service's role password is derived.
  await initDevStack(project, stack, { ...runImages(), postgresPassword });
  succeeded(await project.pulumi(['config', 'set', '--path', 'overrides.name', name]), 'pulumi config set overrides.name');
  return project;
}
