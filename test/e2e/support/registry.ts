/**
 * A throwaway container registry on a loopback port: Debian's `docker-registry` (the CNCF distribution registry),
 * started by the test that needs it and stopped by its pid. Docker pushes to 127.0.0.0/8 over plain HTTP by default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/ports';

/** A running registry. */
export interface LocalRegistry {
  /** `127.0.0.1:<port>`, the registry host to tag and push to. */
  readonly host: string;
  /** Stops the registry (SIGTERM by pid) and removes its storage. */
  stop(): Promise<void>;
}

const BINARY = '/usr/bin/docker-registry';

/** Starts the registry and waits until `GET /v2/` answers. */
export async function startRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log: { level: warn }', `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }`, `http: { addr: 127.0.0.1:${port} }`, ''].join('\n'),
  );
  const child: ChildProcess = spawn(BINARY, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.on('error', () => undefined);
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.pid === undefined) {
      throw new Error(`${BINARY} did not start (apt-get install docker-registry): ${stderr}`);
    }
    const ok = await fetch(`http://${host}/v2/`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`registry on ${host} did not answer within 30 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    host,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
