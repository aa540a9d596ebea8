/**
 * `npm run bench:kubeconform`: the validator and kubeconform side by side, in one run, on the same schemas (the
 * validator's committed ones, written in kubeconform's layout by writeKubeconformSchemas):
 *   - time, cold (a new process each, as a user runs them), median of RUNS, on 1,015 objects (the corpus application
 *     copied into 29 namespaces, one file each): the validator's CLI as `npm run validate` runs it (schema + references
 *     + policy, every default version; its caches filled by one untimed run first, as kubeconform's schemas are written
 *     first) against kubeconform (-strict) over the same versions (one run per version set: see
 *     writeKubeconformSchemas) and over one version per family; and the CLI with its caches empty (what the first run
 *     after a change to the schemas, to ajv or to every input file costs: every kind used compiled, every file parsed);
 *   - findings on the corpus (test/validation/corpus, each file on its own): kubeconform's errors, how many the validator
 *     also reports (must be all), and the objects only the validator fails on schema grounds, by rule.
 * Prints a Markdown table, writes bench/results/kubeconform.json and docs/benchmarks.md's block between
 * `<!-- bench:kubeconform:start -->` and `<!-- bench:kubeconform:end -->`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type KubeObject, loadManifests, resolveTargets, type Targets, validateObjects } from '../../src/validation';
import { kubeconformBinary, runKubeconform, uncovered, writeKubeconformSchemas } from './kubeconform';

const ROOT = join(__dirname, '../..');
const COPIES = 29;
const RUNS = 7;
const CORPUS = join(ROOT, 'test/validation/corpus');
const RESULTS_DOC = join(ROOT, 'docs/benchmarks.md');
/** The arguments of what `npm run validate` runs (`node <launcher> <entry>`), after `node`. */
const VALIDATE_CLI = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.validate.split(' ').slice(1);

/** The corpus application copied into COPIES namespaces, one file per copy. */
function writeObjects(dir: string): number {
  const base = loadManifests([join(CORPUS, '_base/bookinfo.yaml')]).objects;
  for (let copy = 0; copy < COPIES; copy++) {
    const objects = JSON.parse(JSON.stringify(base).replace(/bookinfo(?=["/.])/g, `bookinfo-${copy}`)) as KubeObject[];
    writeFileSync(join(dir, `bookinfo-${copy}.yaml`), objects.map((object) => stringify(object)).join('---\n'));
  }
  return base.length * COPIES;
}

function timeProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, expect?: RegExp): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  // A run that failed early (exit 2, a missing file) would be timed as fast: refuse it.
  if ((result.status ?? 2) > 1 || (expect && !expect.test(result.stdout))) {
    throw new Error(`bench: ${command} ${args.join(' ')} did not run through (exit ${result.status}): ${result.stderr.slice(0, 500)}`);
  }
  return elapsed;
}

/** `Kubernetes 1.27, 1.36, Istio 1.30.8, 1.31.4, Gateway API 1.6.0`: the versions kubeconform is run on. */
const describeVersions = (targets: Targets): string =>
  [['Kubernetes', targets.kubernetes], ['Istio', targets.istio], ['Gateway API', targets['gateway-api']]].map(([name, list]) => `${name} ${(list as readonly string[]).join(', ')}`).join(', ');

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
  const binary = kubeconformBinary();
  if ('missing' in binary) {
    console.error(`bench:kubeconform: ${binary.missing}`);
    process.exitCode = 1;
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'bench-kubeconform-'));
  try {
    const schemas = join(scratch, 'schemas');
    const objectsDir = join(scratch, 'objects');
    mkdirSync(objectsDir);
    const locations = writeKubeconformSchemas(schemas);
    // Timed: the versions the CLI checks by default (resolveTargets' defaults), so both check the same.
    const targets = resolveTargets({});
    const timedLocations = writeKubeconformSchemas(schemas, targets);
    const count = writeObjects(objectsDir);
    const latest = [locations[locations.length - 1]];
    const kubeconformArgs = (sets: string[][]): string[][] =>
      sets.map((set) => ['-strict', '-ignore-missing-schemas', '-summary', ...set.flatMap((l) => ['-schema-location', l]), objectsDir]);
    const ours: number[] = [];
    const oursUncached: number[] = [];
    const theirsAll: number[] = [];
    const theirsOne: number[] = [];
    const cli = [...VALIDATE_CLI, objectsDir];
    // The validator's summary line counts every object: a run that checked fewer is not timed.
    const checkedAll = new RegExp(`in ${count} objects`);
    timeProcess(process.execPath, cli, process.env, checkedAll);
    for (let run = 0; run < RUNS; run++) {
      ours.push(timeProcess(process.execPath, cli, process.env, checkedAll));
      const emptyCache = mkdtempSync(join(scratch, 'cache-'));
      oursUncached.push(timeProcess(process.execPath, cli, { ...process.env, MESH_PLATFORM_CACHE: emptyCache }, checkedAll));
      theirsAll.push(kubeconformArgs(timedLocations).reduce((sum, args) => sum + timeProcess(binary.path, args), 0));
      theirsOne.push(kubeconformArgs(latest).reduce((sum, args) => sum + timeProcess(binary.path, args), 0));
    }

    const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => join(CORPUS, f)).sort();
    const theirErrors = runKubeconform(binary.path, locations, files);
    const findings = files.flatMap((file) => {
      const loaded = loadManifests([file]);
      return validateObjects(loaded.objects, { sources: loaded.sources });
    });
    const missed = uncovered(theirErrors, findings);
    const flaggedByThem = new Set(theirErrors.map((e) => `${e.file}|${e.kind || '(no kind)'}|${e.name || '(no name)'}`));
    const onlyOurs = new Map<string, number>();
    const seen = new Set<string>();
    for (const finding of findings) {
      const key = `${finding.file}|${finding.kind}|${finding.name}`;
      if (finding.severity !== 'error' || !/^(schema|object)-/.test(finding.rule) || flaggedByThem.has(key) || seen.has(`${key}|${finding.rule}`)) continue;
      seen.add(`${key}|${finding.rule}`);
      onlyOurs.set(finding.rule, (onlyOurs.get(finding.rule) ?? 0) + 1);
    }

    const machine = `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`;
    const oursMs = median(ours);
    const rows: [string, number][] = [
      [`this validator, CLI (schema + references + policy; ${describeVersions(targets)})`, oursMs],
      [`kubeconform -strict, the same versions (${timedLocations.length} runs)`, median(theirsAll)],
      ['kubeconform -strict, one version per family (Kubernetes 1.36, Istio 1.31.4, Gateway API 1.6.0)', median(theirsOne)],
      ['this validator, CLI, empty caches (compiled schemas and parsed files: the first run after a change to the schemas, to ajv or to every file)', median(oursUncached)],
    ];
    const table = [
      `${count} objects in ${COPIES} files; cold, a new process per run, median of ${RUNS}; ${machine}.`,
      '',
      '| what | wall time | vs. this validator |',
      '| --- | ---: | ---: |',
      ...rows.map(([what, ms]) => `| ${what} | ${ms.toFixed(0)} ms | ${(ms / oursMs).toFixed(2)}x |`),
      '',
      `Findings on the corpus (${files.length} files, each on its own): kubeconform reports ${theirErrors.length} errors on ${flaggedByThem.size} objects; `
        + `the validator reports ${theirErrors.length - missed.length} of them (same object, same field or below)${missed.length ? `, and misses ${missed.length}` : ', all'}. `
        + `Schema errors only the validator reports: ${[...onlyOurs].sort().map(([rule, n]) => `\`${rule}\` ${n}`).join(', ') || 'none'} (objects).`,
    ].join('\n');
    console.log(table);
    mkdirSync(join(__dirname, '../results'), { recursive: true });
    writeFileSync(join(__dirname, '../results/kubeconform.json'), JSON.stringify({
      objects: count, machine, oursMs: ours, oursEmptyCacheMs: oursUncached, kubeconformAllVersionsMs: theirsAll, kubeconformOneVersionMs: theirsOne,
      corpus: { files: files.length, kubeconformErrors: theirErrors.length, missedByValidator: missed, onlyValidator: Object.fromEntries(onlyOurs) },
    }, null, 2));
    const docs = readFileSync(RESULTS_DOC, 'utf8');
    const block = /<!-- bench:kubeconform:start -->[\s\S]*<!-- bench:kubeconform:end -->/;
    if (!block.test(docs)) throw new Error(`${RESULTS_DOC}: markers <!-- bench:kubeconform:start --> ... <!-- bench:kubeconform:end --> not found`);
    writeFileSync(RESULTS_DOC, docs.replace(block, `<!-- bench:kubeconform:start -->\n${table}\n<!-- bench:kubeconform:end -->`));
    if (missed.length > 0) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
