import { createServer } from 'node:net';

/** A TCP port of 127.0.0.1 that was free a moment ago (the OS picked it for a listener that is closed again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
