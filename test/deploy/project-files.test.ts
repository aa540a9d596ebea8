/** Pulumi.yaml and the example stack files: the CLI would only find these mistakes at `pulumi up`. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  const known = ['environment', 'registry', 'registryUsername', 'baseImages', 'kubeconfig', 'kubeContext', 'installIstio', 'istioCharts', 'istioHub', 'istioPlatform', 'ingressServiceType', 'canary'];
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const [namespace, name] = key.split(':');
    expect(namespace).toBe('mesh-platform');
    expect(known).toContain(name);
    raw[name] = value;
  }
  expect(parseDeployConfig(raw as RawDeployConfig, stack).environment).toBe(stack);
});

describe('.github/workflows/deploy.yml', () => {
  interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
  }
  const steps: Step[] = read('.github/workflows/deploy.yml').jobs.deploy.steps;
  const indexOf = (predicate: (step: Step) => boolean) => steps.findIndex(predicate);
  const standInLabel = /^STAND_IN_LABEL="([^"]+)"$/m.exec(readFileSync(join(ROOT, 'images/stand-in-bases.sh'), 'utf8'))![1];

  test('`pulumi up` never builds on the stand-in bases that .ci/run creates on the runner', () => {
    // `.ci/run` runs `npm run images`, which creates stand-ins under the real bases' names where they are absent (a
    // fresh runner); the engine's BuildKit prefers a local image, so the pushed images would run on the runner's node.
    const checks = indexOf((s) => s.run === '.ci/run');
    const up = indexOf((s) => s.uses?.startsWith('pulumi/actions@') === true && s.with?.command === 'up');
    const removal = indexOf((s) => s.run?.includes(`label=${standInLabel}=true`) === true);
    expect(checks).toBeGreaterThanOrEqual(0);
    expect(removal).toBeGreaterThan(checks);
    expect(removal).toBeLessThan(up);
    expect(steps[removal].if).toBe(steps[up].if);
  });

  test('the removal untags every labelled image by name, and does nothing when there is none', () => {
    const removal = steps.find((s) => s.run?.includes(`label=${standInLabel}=true`));
    expect(removal).toBeDefined();
    const bin = mkdtempSync(join(tmpdir(), 'fake-docker-'));
    try {
      // A stand-in for the docker CLI: lists the images given in $LISTED for the label filter, logs every removal.
      writeFileSync(
        join(bin, 'docker'),
        [
          '#!/usr/bin/env bash',
          'if [[ "$1 $2" == "image ls" ]]; then',
          `  [[ " $* " == *" label=${standInLabel}=true "* && " $* " == *" dangling=false "* ]] && printf '%s' "$LISTED"`,
          '  exit 0',
          'fi',
          'echo "$*" >> "$LOG"',
        ].join('\n'),
        { mode: 0o755 },
      );
      const run = (listed: string) => {
        const log = join(bin, `log-${listed.length}`);
        writeFileSync(log, '');
        execFileSync('bash', ['-e', '-c', removal!.run!], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, LISTED: listed, LOG: log } });
        return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
      };
      const listed = 'gcr.io/distroless/nodejs20-debian12:nonroot\nnode:20-bookworm-slim\nmesh-platform/user-service:sha256-0123456789abcdef\n';
      expect(run(listed)).toEqual([
        'image rm --force gcr.io/distroless/nodejs20-debian12:nonroot node:20-bookworm-slim mesh-platform/user-service:sha256-0123456789abcdef',
      ]);
      expect(run('')).toEqual([]);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
