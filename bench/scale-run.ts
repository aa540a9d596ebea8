/**
 * One size of `npm run bench:scale`, in its own process: generates a description of N services
 * (bench/scale-description.ts), then, for all three environments, resolves it, synthesizes it, writes its YAML and
 * its dashboards' JSON files as `npm run synth` does and validates the synthesized objects in memory, as the cdk8s
 * validation plugin and the Pulumi program do (objects in memory, never YAML text, between stages; `npm run validate`
 * on the files adds the YAML parsing, about 1 ms per object: docs/benchmarks.md). Prints one JSON line (a `ScaleRun`)
 * on stdout; bench/scale.ts runs it per size and makes the table.
 *
 *   node src/build-cache/run-entry.js bench/scale-run.ts 1000 [--keep DIR]   (as bench/scale.ts runs it, from a bundle)
 *   node --import tsx bench/scale-run.ts 1000                                 (the entry to profile: node --cpu-prof ...)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { App } from 'cdk8s';
import { ENVIRONMENTS, type PlatformSpec } from '../src/description';
import { resolvePlatformSpec } from '../src/description/resolve';
import { addPlatformChart } from '../src/platform';
import { writeManifest } from '../src/manifest-yaml';
import { writeDashboards } from '../src/synth-output';
import { validateObjects } from '../src/validation';
import type { KubeObject } from '../src/validation/types';
import { scaleDescription } from './scale-description';

/** The stages, in order. */
export const STAGES = ['resolve', 'synthesis', 'yaml', 'validation'] as const;
/** One of `STAGES`. */
export type Stage = (typeof STAGES)[number];

/** What one run of one size measured. */
export interface ScaleRun {
  readonly services: number;
  /** Objects synthesized, all environments together. */
  readonly objects: number;
  /** Bytes of YAML written, all environments together. */
  readonly yamlBytes: number;
  /** Validator findings on the written output, by severity. */
  readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
  /** Wall time of each stage, all three environments, in milliseconds. */
  readonly milliseconds: Readonly<Record<Stage, number>>;
  /** CPU time (user + system, all threads: GC included) of each stage, in milliseconds; steadier than wall time under load. */
  readonly cpuMilliseconds: Readonly<Record<Stage, number>>;
  /** Peak resident set size of the process, bytes (`process.resourceUsage().maxRSS`). */
  readonly peakRssBytes: number;
  /** Largest V8 heap in use at the end of a stage, bytes (while the stage's output is still held). */
  readonly peakHeapBytes: number;
}

/** Runs every stage once for `count` services; the YAML goes to `outdir/<env>/`. */
export function runScale(count: number, outdir: string): ScaleRun {
  const { description, overrides, images } = scaleDescription(count);
  const milliseconds: Record<Stage, number> = { resolve: 0, synthesis: 0, yaml: 0, validation: 0 };
  const cpuMilliseconds: Record<Stage, number> = { ...milliseconds };
  let peakHeapBytes = 0;
  /** Runs `work` as (part of) a stage, adding its wall and CPU time to the stage's. */
  const stage = <T>(name: Stage, work: () => T): T => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = work();
    milliseconds[name] += performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    cpuMilliseconds[name] += (user + system) / 1000;
    peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
    return result;
  };

  // As src/synth-output.ts does: every environment resolved first, then each synthesized and written in turn; each
  // is validated as soon as it is written (as the cdk8s plugin validates each chart) and dropped, so at most one
  // environment's objects are held at a time.
  const specs: PlatformSpec[] = stage('resolve', () =>
    ENVIRONMENTS.map((environment) => resolvePlatformSpec({ description, environment, overrides: overrides[environment], images })));
  let objects = 0;
  let yamlBytes = 0;
  const findings = { error: 0, warning: 0, info: 0 };
  for (const spec of specs) {
    const synthesized = stage('synthesis', () => addPlatformChart(new App(), spec).toJson() as KubeObject[]);
    objects += synthesized.length;
    yamlBytes += stage('yaml', () => {
      const bytes = writeManifest(join(outdir, spec.environment, `${spec.name}.k8s.yaml`), synthesized);
      writeDashboards(spec, synthesized, join(outdir, spec.environment));
      return bytes;
    });
    for (const { severity } of stage('validation', () => validateObjects(synthesized))) findings[severity] += 1;
  }

  return {
    services: count,
    objects,
    yamlBytes,
    findings,
    milliseconds,
    cpuMilliseconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapBytes,
  };
}

// Run directly, or from the launcher's bundle, which names this file in process.argv[1].
if (require.main === module || process.argv[1] === __filename) {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { keep: { type: 'string' } } });
  const count = Number(positionals[0]);
  if (!Number.isInteger(count) || count < 1) throw new Error('usage: node src/build-cache/run-entry.js bench/scale-run.ts <services> [--keep DIR]');
  const outdir = values.keep ?? mkdtempSync(join(tmpdir(), 'bench-scale-'));
  try {
    process.stdout.write(`${JSON.stringify(runScale(count, outdir))}\n`);
  } finally {
    if (!values.keep) rmSync(outdir, { recursive: true, force: true });
  }
}
