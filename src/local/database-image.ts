/**
 * The image of the local database server: the manifests' official PostgreSQL image when it is present locally (pulled
 * or loaded), else the stand-in built from Debian's postgresql package by images/stand-in-postgres.sh (no registry).
 */
import { execFile } from 'node:child_process';
import { docker } from '../images/docker';
import { REPOSITORY_ROOT } from '../images/services';

const STAND_IN_SCRIPT = 'images/stand-in-postgres.sh';

/** The image to run for `official`; builds the stand-in when `official` is absent. @throws Error with the script's output */
export async function databaseImage(official: string, log: (line: string) => void): Promise<string> {
  const present = await docker(['image', 'inspect', '--format', '{{.Id}}', official]).then(() => true, () => false);
  if (present) return official;
  return new Promise((resolve, reject) => {
    execFile('bash', [STAND_IN_SCRIPT], { cwd: REPOSITORY_ROOT }, (error, stdout, stderr) => {
      for (const line of stderr.split('\n').filter((l) => l.includes('created'))) log(line);
      const image = stdout.trim().split('\n').pop();
      if (error || !image) reject(new Error(`${STAND_IN_SCRIPT} failed:\n${stderr.trim() || error?.message}`));
      else resolve(image);
    });
  });
}
