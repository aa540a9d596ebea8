/**
 * Benchmark: `npm run synth` (tsx: transpile only, no type-check, no cache) against what a cdk8s project runs by default
 * (`cdk8s init typescript-app` synthesizes through ts-node, which type-checks the program and the 1 MB Istio bindings
 * on every run). Both synthesize all three environments, cold, into throwaway directories; wall time, median of N runs.
 *
 *   npm run bench:synth [-- --runs 5]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;

interface Contender {
  readonly name: string;
  readonly command: readonly string[];
  readonly env?: Record<string, string>;
}

const contenders: readonly Contender[] = [
  { name: 'npm run synth (tsx, transpile only)', command: ['node', '--import', 'tsx', 'src/main.ts'], env: { TSX_DISABLE_CACHE: '1' } },
  { name: 'ts-node (cdk8s default, type-checks)', command: ['node', '--require', 'ts-node/register', 'src/main.ts'] },
];

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

// Interleave the contenders so that background load affects both alike.
const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
for (let run = 0; run < runs; run++) for (const contender of contenders) times.get(contender.name)!.push(timeOnce(contender));

const baseline = median(times.get(contenders[1].name)!);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${process.version}; ${runs} cold runs each, all three environments\n`);
console.log('| synthesis | median wall time | vs ts-node |');
console.log('| --- | ---: | ---: |');
for (const contender of contenders) {
  const value = median(times.get(contender.name)!);
  console.log(`| ${contender.name} | ${(value / 1000).toFixed(2)} s | ${(value / baseline).toFixed(2)}× |`);
}
