/**
 * Benchmark: how long a fresh Node.js process takes to load the library (`npm run bench:library`). Side by side, each
 * `node -e "require(...)"` in its own process, wall time, median of interleaved runs:
 *   - cdk8s-plus-27 alone, which every chart using the constructs loads anyway (the baseline of the ratios);
 *   - the packed package (`npm pack`, installed into a fresh project as a user installs it): `mesh-platform`, and its
 *     validator alone (`mesh-platform/validation`);
 *   - the TypeScript sources through tsx (src/index.ts), as the repository's own commands load them: tsx's cache
 *     disabled (every module transpiled, as on a first run) and warm.
 *
 *   npm run bench:library [-- --runs 10]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { installPackedPackage, packPackage } from '../test/support/packed-package';
import { loadavg, machine, median, ROOT, writeResult } from './support';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10;

interface Contender {
  readonly name: string;
  readonly args: readonly string[];
  /** Where the process runs: the installed project or the repository. */
  readonly cwd: string;
  readonly env?: Record<string, string>;
}

const work = mkdtempSync(join(tmpdir(), 'bench-library-'));
const project = join(work, 'app');
mkdirSync(project);
console.log('Packing the package and installing it into a fresh project ...');
installPackedPackage(project, packPackage(work).tarball);

const requiring = (module: string) => ['-e', `require(${JSON.stringify(module)})`];
const BASELINE = 'cdk8s-plus-27 alone (baseline)';
const contenders: readonly Contender[] = [
  { name: BASELINE, args: requiring('cdk8s-plus-27'), cwd: project },
  { name: 'packed `mesh-platform` (compiled JavaScript)', args: requiring('mesh-platform'), cwd: project },
  { name: 'packed `mesh-platform/validation`', args: requiring('mesh-platform/validation'), cwd: project },
  { name: 'src/index.ts through tsx, cache disabled', args: ['--import', 'tsx', ...requiring('./src/index.ts')], cwd: ROOT, env: { TSX_DISABLE_CACHE: '1' } },
  { name: 'src/index.ts through tsx, warm cache', args: ['--import', 'tsx', ...requiring('./src/index.ts')], cwd: ROOT },
];

function timeOnce(contender: Contender): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, contender.args, { cwd: contender.cwd, env: { ...process.env, ...contender.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${contender.name} failed: ${result.stderr.toString()}`);
  return elapsed;
}

try {
  // One untimed run each: the warm-cache contender needs its cache filled, and every run then starts from the same page cache.
  for (const contender of contenders) timeOnce(contender);
  // Interleave the contenders so that background load affects all alike.
  const times = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  for (let run = 0; run < runs; run++) for (const contender of contenders) times.get(contender.name)!.push(timeOnce(contender));

  const baseline = median(times.get(BASELINE)!);
  const rows = contenders.map((contender) => {
    const value = median(times.get(contender.name)!);
    return `| ${contender.name} | ${(value / 1000).toFixed(2)} s | ${(value / baseline).toFixed(2)}× |`;
  });
  writeResult('library-startup', [
    `${machine()}; load average at the end ${loadavg()}; ${runs} runs each, interleaved, median wall time of a fresh process`,
    '',
    '| loading | median wall time | vs cdk8s-plus-27 alone |',
    '| --- | ---: | ---: |',
    ...rows,
  ].join('\n'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
