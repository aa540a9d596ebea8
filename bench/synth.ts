/**
 * Benchmark: `npm run synth` (a bundle of the entry point cached by its inputs, run by plain Node.js; see
 * src/build-cache/run-entry.js) against running the TypeScript through tsx (transpile only, cache disabled: what
 * `npm run synth` ran before) and what a cdk8s project runs by default (`cdk8s init typescript-app` synthesizes
 * through ts-node, which type-checks the program and the 1 MB Istio bindings on every run). All synthesize the three
 * environments, cold (a new process each run), into throwaway directories; wall time, median of N runs. The caches
 * are warm: one untimed `npm run synth` first brings the entry bundle and the image tags' digests up to date, as the
 * first run after any change does (docs/benchmarks.md gives that run's cost).
 *
 *   npm run bench:synth [-- --runs 5]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;

interface Contender {
  readonly name: string;
  readonly command: readonly string[];
  readonly env?: Record<string, string>;
}

/** The command `npm run synth` runs, from package.json (so the bench follows the script). */
const synthCommand = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { synth: string } }).scripts.synth.split(' ');

const contenders: readonly Contender[] = [
  { name: 'npm run synth (cached bundle, plain Node.js)', command: synthCommand },
  { name: 'tsx (transpile only, no cache)', command: ['node', '--import', 'tsx', 'src/main.ts'], env: { TSX_DISABLE_CACHE: '1' } },
  { name: 'ts-node (cdk8s default, type-checks)', command: ['node', '--require', 'ts-node/register', 'src/main.ts'] },
];
const baselineName = contenders[2].name;

function timeOnce(contender: Contender): number {
  const outdir = mkdtempSync(join(tmpdir(), 'synth-bench-'));
  const started = performance.now();
  const result = spawnSync(contender.command[0], contender.command.slice(1), {
    env: { ...process.env, ...contender.env, CDK8S_OUTDIR: outdir }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const elapsed = performance.now() - started;
  rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`${contender.name} failed: ${result.stderr.toString()}`);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Brings the caches up to date, untimed.
timeOnce(contenders[0]);

// Interleave the contenders so that background load affects them alike.
const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
for (let run = 0; run < runs; run++) for (const contender of contenders) times.get(contender.name)!.push(timeOnce(contender));

const baseline = median(times.get(baselineName)!);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${process.version}; ${runs} cold runs each, all three environments\n`);
console.log('| synthesis | median wall time | vs ts-node |');
console.log('| --- | ---: | ---: |');
for (const contender of contenders) {
  const value = median(times.get(contender.name)!);
  console.log(`| ${contender.name} | ${(value / 1000).toFixed(2)} s | ${(value / baseline).toFixed(2)}× |`);
}
