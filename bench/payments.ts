/**
 * `POST /payments` of payment-service on PostgreSQL against the same service with the in-memory store (what a user
 * gets without `DATABASE_URL`), side by side in one run: a new `Idempotency-Key` per request (a charge: advisory lock,
 * lookup, insert, unlock) and one key replayed (lock, lookup, unlock).
 *
 * payment-service runs bundled under plain `node`, as the images run it; PostgreSQL is the tests' (Debian's, else the
 * embedded one), started for the run on a loopback port with the tests' helper (test/support/postgres.ts: durability
 * settings off, so this measures the service's statements and round trips, not the disk). Targets run in interleaved rounds and the medians are
 * reported, with the CPU time per request of the service and of the PostgreSQL server (all its processes).
 *
 * Run: `npm run bench:payments`. BENCH_DURATION_S (default 5): seconds per case; BENCH_ROUNDS (default 3);
 * BENCH_CONNECTIONS (default 20). Prints a Markdown table and writes it to bench/results/payments.md.
 */
import { readFileSync, readdirSync } from 'node:fs';
import autocannon from 'autocannon';
import { type TestPostgres, startPostgres } from '../test/support/postgres';
import { MICROSECONDS_PER_TICK, type Target, cpuTicks, loadavg, machine, median, startTarget, stopTarget, writeResult } from './support';

const durationS = Number(process.env.BENCH_DURATION_S ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const SCRIPT = 'services/payment-service/src/main.ts';

/** A load pattern. */
interface Case {
  readonly label: string;
  /** The idempotency key of the next request. */
  readonly key: () => string;
}

let sequence = 0;
const CASES: Case[] = [
  { label: 'POST /payments, new key', key: () => `bench-${process.pid}-${(sequence += 1)}` },
  { label: 'POST /payments, replayed key', key: () => `bench-replayed-${process.pid}` },
];

/** One measured run. */
interface Measurement {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly serviceCpuMicroseconds: number;
  readonly databaseCpuMicroseconds: number;
  readonly errors: number;
}

/** CPU ticks of the PostgreSQL server: the postmaster and every backend it forked. */
function databaseTicks(postgres: TestPostgres | undefined): number {
  if (!postgres) return 0;
  let ticks = cpuTicks(postgres.pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(fields[1]) === postgres.pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks;
}

async function measure(url: string, pid: number, postgres: TestPostgres | undefined, loadCase: Case, seconds: number): Promise<Measurement> {
  const before = { service: cpuTicks(pid), database: databaseTicks(postgres) };
  const result = await autocannon({
    url: `${url}/payments`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/payments',
        body: JSON.stringify({ orderId: 'bench-order', amount: 12.5, currency: 'EUR' }),
        setupRequest: (request) => ({
          ...request,
          headers: { 'content-type': 'application/json', 'idempotency-key': loadCase.key() },
        }),
      },
    ],
  });
  const total = Math.max(1, result.requests.total);
  const perRequest = (ticks: number) => (ticks * MICROSECONDS_PER_TICK) / total;
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    serviceCpuMicroseconds: perRequest(cpuTicks(pid) - before.service),
    databaseCpuMicroseconds: perRequest(databaseTicks(postgres) - before.database),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** Measures every case against one target, after a 1 s warm-up per case. */
async function benchTarget(target: Target, postgres: TestPostgres | undefined): Promise<Measurement[]> {
  const { url, child } = await startTarget(target, '/readyz');
  try {
    const measurements: Measurement[] = [];
    for (const loadCase of CASES) {
      await measure(url, child.pid!, postgres, loadCase, 1);
      measurements.push(await measure(url, child.pid!, postgres, loadCase, durationS));
    }
    return measurements;
  } finally {
    await stopTarget(child);
  }
}

function medianOf(runs: Measurement[]): Measurement {
  const of = (field: keyof Measurement) => median(runs.map((run) => run[field]));
  return {
    requestsPerSecond: of('requestsPerSecond'),
    p99Ms: of('p99Ms'),
    serviceCpuMicroseconds: of('serviceCpuMicroseconds'),
    databaseCpuMicroseconds: of('databaseCpuMicroseconds'),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}

async function main(): Promise<void> {
  process.stderr.write(`benchmarking POST /payments: ${rounds} rounds, ${durationS} s per case, ${connections} connections\n`);
  const postgres = await startPostgres();
  try {
    const databaseUrl = await postgres.createDatabase('payments');
    const targets: { target: Target; postgres?: TestPostgres }[] = [
      { target: { label: 'in memory', script: SCRIPT, env: { LOG_LEVEL: 'warn' } } },
      { target: { label: 'PostgreSQL', script: SCRIPT, env: { LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl } }, postgres },
    ];
    const runs = targets.map(() => CASES.map((): Measurement[] => []));
    for (let round = 1; round <= rounds; round += 1) {
      for (const [t, { target, postgres: database }] of targets.entries()) {
        (await benchTarget(target, database)).forEach((measurement, c) => runs[t][c].push(measurement));
        process.stderr.write(`  round ${round}: ${target.label} done\n`);
      }
    }
    const rows = CASES.flatMap((loadCase, c) => {
      const memory = medianOf(runs[0][c]);
      return targets.map(({ target }, t) => {
        const m = medianOf(runs[t][c]);
        return (
          `| ${loadCase.label} | ${target.label} | ${Math.round(m.requestsPerSecond)} | ${m.p99Ms} | ` +
          `${(m.requestsPerSecond / memory.requestsPerSecond).toFixed(2)}x | ${m.serviceCpuMicroseconds.toFixed(0)} | ` +
          `${m.databaseCpuMicroseconds.toFixed(0)} | ${m.errors} |`
        );
      });
    });
    const table = [
      `Machine: ${machine()}, load average at the end ${loadavg()}. PostgreSQL ${postgres.version} on loopback, ` +
        `pool of 10 connections; autocannon, ${connections} connections, ${durationS} s per case after a 1 s warm-up, ` +
        `median of ${rounds} interleaved rounds, LOG_LEVEL=warn.`,
      '',
      '| Case | Store | Requests/s | p99 latency (ms) | Throughput vs memory | Service CPU µs/request | PostgreSQL CPU µs/request | Non-2xx/errors |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n');
    writeResult('payments', table);
  } finally {
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
