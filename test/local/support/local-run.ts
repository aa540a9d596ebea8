/**
 * `npm run local` as the compose tests run it (test/local/compose.test.ts and compose-options.test.ts, two files so that
 * they run in parallel): up under a Compose project of its own before a block's tests, its summary table read back, everything of
 * the project removed after them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../../../src/images/docker';
import { LOCAL_STATE_DIRECTORY } from '../../../src/local/database-state';
import { REPOSITORY_ROOT, runPackageScript } from '../../support/run-script';

/** A cold build of the images takes about a minute here, then up to the healthchecks' start; slow CI machines. */
export const UP_TIMEOUT_MS = 900_000;
/** The Compose the tests run: Debian's docker-compose 1.29, the one CI installs. */
export const COMPOSE = 'docker-compose';

/** One row of the summary table, as printed. */
export interface Row {
  readonly service: string;
  readonly version: string;
  readonly url: string;
  readonly health: string;
  readonly storage: string;
}

/** The summary table's rows, read back from the columns of its header line. */
export function summaryRows(stdout: string): Row[] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => line.startsWith('SERVICE '));
  if (header < 0) throw new Error(`no summary in:\n${stdout}`);
  const columns = ['SERVICE', 'VERSION', 'URL', 'HEALTH', 'STORAGE'].map((name) => (lines[header] as string).indexOf(name));
  const rows: Row[] = [];
  for (const line of lines.slice(header + 1)) {
    if (line.startsWith('local:') || line.trim() === '') break;
    const cell = (index: number) => line.slice(columns[index], columns[index + 1]).trim();
    rows.push({ service: cell(0), version: cell(1), url: cell(2), health: cell(3), storage: cell(4) });
  }
  return rows;
}

/** POSTs `body` as JSON. */
export function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The ids of every container of a Compose project, one a line. */
export const projectContainers = (project: string) =>
  docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.ID}}']).then((out) => out.trim());

/** What one describe block's `npm run local` printed; filled in before its tests. */
export interface LocalRun {
  /** The Compose project, unique to the run. */
  readonly project: string;
  /** The Compose file it wrote (in a temporary directory). */
  readonly file: string;
  up: ReturnType<typeof runPackageScript>;
  rows: Row[];
}

/**
 * Starts `npm run local` with `flags` under a project of its own before the block's tests (loopback ports Docker
 * picks), and removes everything of the project after them, by project name whatever the tests did.
 */
export function localRun(name: string, flags: readonly string[]): LocalRun {
  const project = `${name}-${process.pid}-${Date.now().toString(36)}`;
  const directory = mkdtempSync(join(tmpdir(), `${name}-`));
  const run: LocalRun = { project, file: join(directory, 'compose.yaml'), up: { status: null, stdout: '', stderr: '' } as ReturnType<typeof runPackageScript>, rows: [] };
  beforeAll(() => {
    run.up = runPackageScript('local', [...flags, '--project', project, '--base-port', '0', '--output', run.file, '--timeout', '300'], { MESH_COMPOSE: COMPOSE });
    run.rows = summaryRows(run.up.stdout);
  }, UP_TIMEOUT_MS);
  afterAll(() => {
    execFileSync(COMPOSE, ['-p', project, '-f', run.file, 'down', '-v', '--remove-orphans'], { stdio: 'ignore', timeout: 120_000 });
    rmSync(directory, { recursive: true, force: true });
    rmSync(join(REPOSITORY_ROOT, LOCAL_STATE_DIRECTORY, project), { recursive: true, force: true });
  }, 180_000);
  return run;
}
