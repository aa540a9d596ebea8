/**
 * Benchmark of the validator (`npm run bench:validation`): validates ~1,000 objects (the corpus' bookinfo application
 * copied into 29 namespaces: Deployments, Services, HPAs, PDBs, Istio routing and security) and compares, side by side:
 *   - this validator, everything (schema + references + policy), warm (after start-up), median of runs;
 *   - this validator, schema only (what kubeconform does);
 *   - a naive ajv script that compiles the schema for every object (what one writes without caching), measured on a
 *     sample and extrapolated, since the full run takes minutes.
 * kubeconform is compared by `npm run bench:kubeconform` (bench/kubeconform/). The start-up (the first run) loads each
 * kind's compiled code from the validator cache, or compiles it when the cache lacks it (src/validation/schema/
 * validator-cache.ts). Writes bench/results/validation.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { Context } from '../src/validation/context';
import { Inventory } from '../src/validation/inventory';
import { checkSchemas } from '../src/validation/schema/check';
import { schemaArtifact } from '../src/validation/schema/registry';
import { DEFAULT_ISTIO_VERSIONS, DEFAULT_KUBERNETES_VERSIONS, type KubeObject, validateObjects } from '../src/validation';

const COPIES = 29;
const RUNS = 10;
const NAIVE_SAMPLE = 40;

function corpus(): KubeObject[] {
  const text = readFileSync(join(__dirname, '../test/validation/corpus/_base/bookinfo.yaml'), 'utf8');
  const base = parseAllDocuments(text).map((document) => document.toJS() as KubeObject);
  const objects: KubeObject[] = [];
  for (let copy = 0; copy < COPIES; copy++) {
    // Renaming the namespace everywhere keeps every reference (hosts, principals) valid within each copy.
    const json = JSON.stringify(base).replace(/bookinfo(?=["/.])/g, `bookinfo-${copy}`);
    objects.push(...(JSON.parse(json) as KubeObject[]));
  }
  return objects;
}

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** What a script without caching does: a new ajv, the schemas added and the kind's schema compiled, per object. */
function naiveValidate(object: KubeObject, artifacts: { kinds: Record<string, string>; schema: { $id: string } }[]): boolean {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false, validateSchema: false });
  addFormats(ajv);
  for (const artifact of artifacts) ajv.addSchema(artifact.schema);
  const key = `${object.apiVersion}/${object.kind}`;
  const artifact = artifacts.find((candidate) => candidate.kinds[key]) ?? artifacts[0];
  const validate = ajv.getSchema(`${artifact.schema.$id}#/definitions/${artifact.kinds[key]}`);
  return validate ? (validate(object) as boolean) : false;
}

function main(): void {
  const objects = corpus();
  const startup = time(() => validateObjects(objects));
  const full: number[] = [];
  let findings = 0;
  for (let run = 0; run < RUNS; run++) full.push(time(() => { findings = validateObjects(objects).length; }));
  const schemaOnly: number[] = [];
  for (let run = 0; run < RUNS; run++) schemaOnly.push(time(() => checkSchemas(new Context(new Inventory(objects), {}))));
  const artifacts = [
    ...DEFAULT_KUBERNETES_VERSIONS.map((version) => schemaArtifact('kubernetes', version)),
    ...DEFAULT_ISTIO_VERSIONS.map((version) => schemaArtifact('istio', version)),
  ];
  const sample = objects.slice(0, NAIVE_SAMPLE);
  const naiveSample = time(() => sample.forEach((object) => naiveValidate(object, artifacts)));
  const naive = (naiveSample / sample.length) * objects.length;

  const fullMedian = median(full);
  const schemaMedian = median(schemaOnly);
  const machine = `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  const rows = [
    ['this validator: schema + references + policy (warm)', fullMedian],
    ['this validator: schema only (warm)', schemaMedian],
    [`naive ajv, compile per object (extrapolated from ${NAIVE_SAMPLE})`, naive],
  ] as const;
  console.log(`${objects.length} objects (${findings} findings), ${machine}`);
  console.log(`start-up (first run: the compiled schemas of the kinds used, from the validator cache or compiled): ${startup.toFixed(0)} ms`);
  console.log('| what | time for all objects | vs. this validator (full) |');
  console.log('| --- | ---: | ---: |');
  for (const [what, ms] of rows) console.log(`| ${what} | ${ms.toFixed(1)} ms | ${(ms / fullMedian).toFixed(2)}x |`);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results/validation.json'), JSON.stringify({
    objects: objects.length, machine, startupMs: startup, fullMs: full, schemaOnlyMs: schemaOnly, naiveMsExtrapolated: naive,
  }, null, 2));
}

main();
