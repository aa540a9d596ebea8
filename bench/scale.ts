/**
 * `npm run bench:scale`: how synthesis grows with the number of services. For 100, 300 and 1,000 generated services
 * (bench/scale-description.ts: a call chain, static canaries, progressive services, exposed routes, databases,
 * production overrides), each size in a fresh process (bench/scale-run.ts), all three environments are resolved,
 * synthesized, written as YAML and validated in memory. Reports each stage's time, the peak memory, the
 * cost per service and the growth exponent between sizes (1.0 is linear); writes the table into docs/benchmarks.md
 * (between the bench:scale markers) and bench/results/scale.md.
 *
 *   npm run bench:scale [-- --sizes 100,300,1000] [--runs 1]
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg, machine, median, ROOT, writeResult } from './support';
import { writeDocsSection } from './docs-section';
import { scaleMix } from './scale-description';
import { STAGES, type ScaleRun, type Stage } from './scale-run';

const MB = 1024 * 1024;

/** One size's runs reduced to medians (memory: the largest). */
interface SizeResult {
  readonly run: ScaleRun;
  /** Median wall time per stage and of all four, ms. */
  readonly wall: Readonly<Record<Stage | 'total', number>>;
  /** Median CPU time per stage and of all four, ms. */
  readonly cpu: Readonly<Record<Stage | 'total', number>>;
}

/**
 * Runs one size in a fresh process (no JIT or heap carried over from a smaller size) and returns what it measured. The
 * process runs the launcher's bundle of scale-run.ts, as `npm run synth` runs its entry (no tsx loader in the process).
 */
function runInProcess(services: number): ScaleRun {
  const output = execFileSync(process.execPath, [join(ROOT, 'src/build-cache/run-entry.js'), join(__dirname, 'scale-run.ts'), String(services)], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * MB,
  });
  return JSON.parse(output) as ScaleRun;
}

/** Per stage and in total, the median over runs of one measure. */
function medians(runs: readonly ScaleRun[], measure: (run: ScaleRun) => Readonly<Record<Stage, number>>): Record<Stage | 'total', number> {
  const total = median(runs.map((run) => STAGES.reduce((sum, stage) => sum + measure(run)[stage], 0)));
  return { ...Object.fromEntries(STAGES.map((stage) => [stage, median(runs.map((run) => measure(run)[stage]))])) as Record<Stage, number>, total };
}

function measure(services: number, runs: number): SizeResult {
  const all = Array.from({ length: runs }, () => runInProcess(services));
  const largest = (measure: (run: ScaleRun) => number) => Math.max(...all.map(measure));
  const run = {
    ...all[0],
    peakRssBytes: largest((r) => r.peakRssBytes),
    peakHeapBytes: largest((r) => r.peakHeapBytes),
  };
  return { run, wall: medians(all, (r) => r.milliseconds), cpu: medians(all, (r) => r.cpuMilliseconds) };
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const KEYS = [...STAGES, 'total'] as const;
/** How CPU time grows from one size to the next: t ∝ n^k, so k = 1 is linear, 2 quadratic. */
const exponent = (small: SizeResult, large: SizeResult, key: (typeof KEYS)[number]) =>
  Math.log(large.cpu[key] / small.cpu[key]) / Math.log(large.run.services / small.run.services);

function table(results: readonly SizeResult[], runs: number): string {
  const rows = results.map(({ run, wall, cpu }) => {
    const stages = KEYS.map((key) => `${seconds(wall[key])} / ${seconds(cpu[key])}`).join(' | ');
    return `| ${run.services} | ${run.objects} | ${(run.yamlBytes / MB).toFixed(1)} | ${stages} | ${(cpu.total / run.services).toFixed(1)} | `
      + `${(run.peakRssBytes / MB).toFixed(0)} MB | ${(run.peakHeapBytes / MB).toFixed(0)} MB | `
      + `${run.findings.error}/${run.findings.warning} |`;
  });
  const growth = results.slice(1).map((large, i) => {
    const small = results[i];
    return `| ${small.run.services} → ${large.run.services} | ${KEYS.map((key) => exponent(small, large, key).toFixed(2)).join(' | ')} |`;
  });
  const largest = results.at(-1)!.run.services;
  const mix = scaleMix(largest);
  return [
    `${machine()}; load average ${loadavg()} at the end; ${runs === 1 ? 'one run' : `median of ${runs} runs`} per size, each size in a fresh process;`
      + ` all three environments. Of ${largest} services: ${mix.canaries} static canaries, ${mix.progressive} progressive,`
      + ` ${mix.exposed} exposed, ${mix.databases} with a database.`,
    '',
    '| services | objects | YAML MB | resolve s (wall / CPU) | synthesis | YAML | validation | total | CPU ms per service | peak RSS | peak heap | findings (error/warning) |',
    `|${' ---: |'.repeat(11)} --- |`,
    ...rows,
    '',
    'Growth exponent k of the CPU time between sizes (time ∝ services^k: 1.00 is linear, 2.00 quadratic):',
    '',
    '| sizes | resolve | synthesis | YAML | validation | total |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...growth,
  ].join('\n');
}

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100,300,1000' }, runs: { type: 'string', default: '1' } } });
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
if (sizes.some((size) => !Number.isInteger(size) || size < 1) || !Number.isInteger(runs) || runs < 1) {
  throw new Error('usage: npm run bench:scale [-- --sizes 100,300,1000] [--runs N]');
}
const results = sizes.map((size) => {
  const result = measure(size, runs);
  process.stderr.write(`${size} services: ${seconds(result.wall.total)} s wall, ${seconds(result.cpu.total)} s CPU\n`);
  return result;
});
const text = table(results, runs);
writeResult('scale', text);
writeDocsSection('scale', text);
