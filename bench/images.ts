/**
 * `npm run bench:images`: measures each service image against the runtime it carries and against the usual
 * alternative, then writes the table into docs/benchmarks.md (between the bench:images markers) and prints it.
 *
 * - size: `docker image inspect` Size (uncompressed layers), and the ratio image / (Node.js binary + bundle);
 * - cold start: from `docker run` to the first `GET /readyz` answering 200, median of RUNS runs, with the
 *   Kubernetes-like constraints of the container tests;
 * - the alternative: a single-stage image that ships the sources and node_modules and runs them with tsx, which is
 *   this Dockerfile's own build stage (`--target build`; its node_modules is already pruned to what the bundles
 *   read, so it flatters the alternative);
 * - tag cost: `imageReferences()` for all services in a fresh process, as `npm run synth` pays it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { buildImages, DOCKERFILE, type BuiltImage } from '../src/images/build';
import { nodeInImage, removeContainers, runContainer, waitForReady } from '../src/images/containers';
import { docker, DOCKER_UNAVAILABLE, dockerAvailable } from '../src/images/docker';
import { REPOSITORY_ROOT, serviceEntry } from '../src/images/services';
import { writeDocsSection } from './docs-section';

const RUNS = 5;
const TAG_COST_RUNS = 5;
const READY_TIMEOUT_MS = 30_000;
const MB = 1_000_000;

interface Measurement {
  readonly service: string;
  readonly imageBytes: number;
  readonly nodeBytes: number;
  readonly bundleBytes: number;
  readonly startMs: number[];
  readonly singleStageBytes: number;
  readonly singleStageStartMs: number[];
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const megabytes = (bytes: number): string => (bytes / MB).toFixed(1);

async function imageBytes(reference: string): Promise<number> {
  return Number((await docker(['image', 'inspect', '--format', '{{.Size}}', reference])).trim());
}

/** Sizes of the Node.js binary and the bundle inside the image. */
async function fileSizes(reference: string): Promise<{ node: number; bundle: number }> {
  const script = "const s = (p) => require('fs').statSync(p).size; process.stdout.write(JSON.stringify({ node: s(process.execPath), bundle: s('/app/main.js') }))";
  return JSON.parse((await nodeInImage(reference, script)).toString()) as { node: number; bundle: number };
}

/** Milliseconds from `docker run` to `/readyz` answering 200, once per run (each in a fresh container). */
async function coldStarts(service: string, image: string, command?: readonly string[]): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const container = await runContainer({ image, name: `bench-${service}-${process.pid}-${run}`, command });
    try {
      await waitForReady(container, READY_TIMEOUT_MS);
      times.push(performance.now() - started);
    } finally {
      await removeContainers([container]);
    }
  }
  return times;
}

/** Builds the Dockerfile's build stage as an image of its own: sources + node_modules, run with tsx. */
async function buildSingleStage(image: BuiltImage): Promise<string> {
  const reference = image.reference.replace(`/${image.service}:`, `/${image.service}-single-stage:`);
  await docker(['build', '--file', DOCKERFILE, '--target', 'build', '--tag', reference, '.']);
  return reference;
}

async function measure(image: BuiltImage): Promise<Measurement> {
  const sizes = await fileSizes(image.reference);
  const singleStage = await buildSingleStage(image);
  return {
    service: image.service,
    imageBytes: await imageBytes(image.reference),
    nodeBytes: sizes.node,
    bundleBytes: sizes.bundle,
    startMs: await coldStarts(image.service, image.reference),
    singleStageBytes: await imageBytes(singleStage),
    singleStageStartMs: await coldStarts(image.service, singleStage, ['node', '--import', 'tsx', serviceEntry(image.service)]),
  };
}

/** Milliseconds a fresh process spends importing src/images and computing every reference (median of runs). */
function tagCost(): number {
  const script =
    "const t = performance.now(); require('./src/images').imageReferences('registry.example.com/shop'); " +
    'process.stdout.write(String(performance.now() - t));';
  const runs = Array.from({ length: TAG_COST_RUNS }, () =>
    Number(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPOSITORY_ROOT, encoding: 'utf8' })),
  );
  return median(runs);
}

function machine(): string {
  const server = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
  const driver = execFileSync('docker', ['info', '--format', '{{.Driver}}'], { encoding: 'utf8' }).trim();
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const load = loadavg()[0]?.toFixed(1);
  return `${cpus().length} cores (${cpu}), Node.js ${process.version}, Docker Engine ${server} (${driver}), load average ${load} at start`;
}

function table(machineLine: string, rows: readonly Measurement[], tagMs: number): string {
  const lines = [
    `Machine: ${machineLine}. Cold start: median of ${RUNS} runs (min-max), \`docker run\` to \`/readyz\` 200.`,
    '',
    '| service | image MB | node binary MB | bundle MB | image / (node + bundle) | cold start ms | single-stage image MB | single-stage cold start ms | size ratio single-stage / ours | start ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const ratio = row.imageBytes / (row.nodeBytes + row.bundleBytes);
    const start = median(row.startMs);
    const singleStart = median(row.singleStageStartMs);
    const range = (values: number[]): string => `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}`;
    lines.push(
      `| ${row.service} | ${megabytes(row.imageBytes)} | ${megabytes(row.nodeBytes)} | ${megabytes(row.bundleBytes)} | ` +
        `${ratio.toFixed(3)} | ${start.toFixed(0)} (${range(row.startMs)}) | ${megabytes(row.singleStageBytes)} | ` +
        `${singleStart.toFixed(0)} (${range(row.singleStageStartMs)}) | ${(row.singleStageBytes / row.imageBytes).toFixed(2)} | ` +
        `${(singleStart / start).toFixed(2)} |`,
    );
  }
  lines.push('', `Tag computation (\`imageReferences()\` for all services, fresh process, median of ${TAG_COST_RUNS}): ${tagMs.toFixed(0)} ms.`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (!dockerAvailable()) throw new Error(DOCKER_UNAVAILABLE);
  const machineLine = machine();
  const built = await buildImages({ registry: 'mesh-platform' });
  const rows: Measurement[] = [];
  for (const image of built) rows.push(await measure(image));
  const text = table(machineLine, rows, tagCost());
  writeDocsSection('images', text);
  process.stdout.write(`${text}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench:images: ${error.message}\n`);
  process.exitCode = 1;
});
