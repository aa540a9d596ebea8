/**
 * Throughput and p99 latency of user-service (Fastify + the service kit) against a bare `node:http` server doing the
 * same work, on `GET /healthz` and `POST /register` (a unique email per request); and the cost of tracing: the service
 * with a trace backend configured (every request sampled, its spans exported over OTLP to a sink that discards them).
 * Each server runs in its own process (its stdout, where the JSON logs go, is /dev/null); this process generates the
 * load with autocannon.
 *
 * Both servers run as the images run them: bundled by esbuild with the images' bundle options, under plain `node`
 * (running through tsx would measure its loader too).
 *
 * Targets are measured in interleaved rounds (bare, service, bare, service, ...) and the median of the rounds is
 * reported, so a burst of load from elsewhere on the machine skews one round, not one target. Besides requests/s and
 * p99 latency it reports the server's CPU time per request (from /proc), which depends much less on such load.
 *
 * Two load generators, each in its own process: autocannon (JavaScript) and, when installed, wrk (C; Debian package
 * `wrk`). On a 2-core machine the generator competes with the server for CPU, and autocannon needs much more of it than
 * wrk, so the two give different absolute numbers and ratios; both are reported.
 *
 * Run: `npm run bench:services`. BENCH_DURATION_S (default 5): seconds per case; BENCH_ROUNDS (default 3);
 * BENCH_CONNECTIONS (default 20). Prints a Markdown table and writes it to bench/results/services.md.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  MICROSECONDS_PER_TICK,
  type Target,
  WORK_DIR as bundles,
  cpuTicks,
  loadavg,
  machine,
  median,
  startTarget as start,
  stopTarget as stop,
  writeResult,
} from './support';

const durationS = Number(process.env.BENCH_DURATION_S ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const BASELINE: Target = { label: 'node:http (bare)', script: 'bench/bare-user-service.ts', env: {} };
const USER_SERVICE = 'services/user-service/src/main.ts';
/** The service's variants; `otlpSink` receives the spans of the one with tracing on. */
const services = (otlpSink: string): Target[] => [
  { label: 'user-service, LOG_LEVEL=info', script: USER_SERVICE, env: { LOG_LEVEL: 'info' } },
  { label: 'user-service, LOG_LEVEL=warn', script: USER_SERVICE, env: { LOG_LEVEL: 'warn' } },
  {
    label: 'user-service, LOG_LEVEL=info, tracing on',
    script: USER_SERVICE,
    // Every request sampled: the most tracing can cost (probes are never traced, so /healthz shows none of it).
    env: { LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink, OTEL_TRACES_SAMPLER: 'always_on' },
  },
];

/**
 * An OTLP/HTTP receiver that accepts and discards every export, in this process: the cost of tracing measured is the
 * service's (spans, batching, encoding, sending), not a backend's.
 */
async function startOtlpSink(): Promise<{ url: string; close: () => void; exports: () => number }> {
  let exports = 0;
  const server = createServer((request, response) => {
    exports += 1;
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close(), exports: () => exports };
}

/** A load pattern. */
interface Case {
  readonly label: string;
  /** Path for autocannon's url; `requests` may override method, path and body. */
  readonly path: string;
  readonly options: Partial<autocannon.Options>;
  /** The same requests for wrk, as a Lua script (none: plain GETs of `path`). */
  readonly wrkScript?: string;
}

let sequence = 0;
const CASES: Case[] = [
  { label: 'GET /healthz', path: '/healthz', options: {} },
  {
    label: 'POST /register',
    path: '/register',
    options: {
      requests: [
        {
          method: 'POST',
          path: '/register',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ name: 'Bench User', email: `user${(sequence += 1)}@example.com` }),
          }),
        },
      ],
    },
    // A unique email per request: a per-run id (every wrk run is a new process) and a counter.
    wrkScript: `
      local run, n = os.getenv("WRK_RUN_ID"), 0
      request = function()
        n = n + 1
        local body = '{"name":"Bench User","email":"wrk' .. run .. '-' .. n .. '@example.com"}'
        return wrk.format("POST", "/register", { ["content-type"] = "application/json" }, body)
      end`,
  },
];

/** One measured run. */
interface Measurement {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly cpuMicrosecondsPerRequest: number;
  readonly errors: number;
}

/** What a load generator reports for one run. */
interface Load {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly total: number;
  readonly errors: number;
}

/** A load generator, run as its own process or in this one. */
type Loader = (url: string, loadCase: Case, seconds: number) => Promise<Load>;

const autocannonLoader: Loader = async (url, loadCase, seconds) => {
  const result = await autocannon({ url: `${url}${loadCase.path}`, connections, duration: seconds, ...loadCase.options });
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
};

let wrkRuns = 0;
const wrkLoader: Loader = async (url, loadCase, seconds) => {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  if (loadCase.wrkScript) {
    const script = join(bundles, 'wrk-case.lua');
    writeFileSync(script, loadCase.wrkScript);
    args.push('-s', script);
  }
  const env = { ...process.env, WRK_RUN_ID: `${process.pid}-${(wrkRuns += 1)}` };
  const { stdout } = await promisify(execFile)('wrk', [...args, `${url}${loadCase.path}`], { env });
  const number = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1] ?? NaN);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)$/m.exec(stdout);
  const scale = { us: 0.001, ms: 1, s: 1000 }[(p99?.[2] ?? 'ms') as 'us' | 'ms' | 's'];
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout)?.slice(1) ?? [];
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    p99Ms: Number(p99?.[1] ?? NaN) * scale,
    total: number(/(\d+) requests in/),
    errors: (number(/Non-2xx or 3xx responses: (\d+)/) || 0) + socketErrors.reduce((sum, n) => sum + Number(n), 0),
  };
};

/** The load generators to compare: autocannon always, wrk when installed. */
const LOADERS: { readonly label: string; readonly run: Loader }[] = [
  { label: 'autocannon', run: autocannonLoader },
  ...(spawnSync('wrk', ['--version']).error ? [] : [{ label: 'wrk', run: wrkLoader }]),
];

async function measure(url: string, pid: number, loadCase: Case, loader: Loader, seconds: number): Promise<Measurement> {
  const before = cpuTicks(pid);
  const load = await loader(url, loadCase, seconds);
  const cpuMicroseconds = (cpuTicks(pid) - before) * MICROSECONDS_PER_TICK;
  return {
    requestsPerSecond: load.requestsPerSecond,
    p99Ms: Math.round(load.p99Ms * 100) / 100,
    cpuMicrosecondsPerRequest: cpuMicroseconds / Math.max(1, load.total),
    errors: load.errors,
  };
}

/** Measures every case against one target, after a 1 s warm-up per case (JIT, connection pool). */
async function benchTarget(target: Target): Promise<Measurement[]> {
  const { url, child } = await start(target);
  try {
    const measurements: Measurement[] = [];
    for (const loader of LOADERS) {
      for (const loadCase of CASES) {
        await measure(url, child.pid!, loadCase, loader.run, 1);
        measurements.push(await measure(url, child.pid!, loadCase, loader.run, durationS));
      }
    }
    return measurements;
  } finally {
    await stop(child);
  }
}

/** The median of each field over the rounds. */
function medianOf(runs: Measurement[]): Measurement {
  return {
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    cpuMicrosecondsPerRequest: median(runs.map((run) => run.cpuMicrosecondsPerRequest)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}

async function main(): Promise<void> {
  const sink = await startOtlpSink();
  const targets = [BASELINE, ...services(sink.url)];
  process.stderr.write(`benchmarking: ${rounds} rounds, ${durationS} s per case, ${connections} connections\n`);
  if (LOADERS.length === 1) process.stderr.write('wrk is not installed (apt-get install wrk): measuring with autocannon only\n');
  // runs[target][loader × case] = one measurement per round
  const pairs = LOADERS.flatMap((loader) => CASES.map((loadCase) => ({ loader: loader.label, loadCase })));
  const runs = targets.map(() => pairs.map((): Measurement[] => []));
  for (let round = 1; round <= rounds; round += 1) {
    for (const [t, target] of targets.entries()) {
      const measurements = await benchTarget(target);
      measurements.forEach((measurement, c) => runs[t][c].push(measurement));
      process.stderr.write(`  round ${round}: ${target.label} done\n`);
    }
  }
  const rows = pairs.flatMap(({ loader, loadCase }, c) => {
    const baseline = medianOf(runs[0][c]);
    return targets.map((target, t) => {
      const m = medianOf(runs[t][c]);
      return (
        `| ${loadCase.label} | ${loader} | ${target.label} | ${Math.round(m.requestsPerSecond)} | ${m.p99Ms} | ` +
        `${(m.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}x | ${m.cpuMicrosecondsPerRequest.toFixed(1)} | ` +
        `${m.errors} |`
      );
    });
  });
  const table = [
    `Machine: ${machine()}, load average at the end ${loadavg()}. Load from ${LOADERS.map((l) => l.label).join(' and ')} ` +
      `(outside the server's process), ${connections} connections, ${durationS} s per case after a 1 s warm-up, ` +
      `median of ${rounds} interleaved rounds.`,
    '',
    '| Case | Load | Server | Requests/s | p99 latency (ms) | Throughput vs bare | Server CPU µs/request | Non-2xx/errors |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
  writeResult('services', table);
  // A variant whose spans never arrived would measure tracing that does not work.
  if (sink.exports() === 0) throw new Error('the tracing variant exported no spans: check OTEL_EXPORTER_OTLP_ENDPOINT');
  process.stderr.write(`tracing variant: ${sink.exports()} OTLP exports received\n`);
  sink.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
