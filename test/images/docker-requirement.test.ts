/**
 * The container tests without a Docker engine, run as jest runs them (a child jest on test/images/containers.test.ts,
 * DOCKER_HOST pointing nowhere): a user's run skips them with one line saying why; CI's (`CI=true`) fails.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../support/run-script';

function jestWithoutDocker(ci: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock', CI: 'true' };
  if (!ci) delete env.CI;
  return spawnSync(process.execPath, [join(REPOSITORY_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), 'test/images/containers.test.ts'], {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
    env,
  });
}

describe('tests that need a Docker engine, without one', () => {
  it('are skipped with one line saying why', () => {
    const run = jestWithoutDocker(false);
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n').filter((line) => line.includes('Docker engine'))).toEqual([
      'service images (Docker): skipped, no Docker engine is reachable (`docker version` fails): start one (CI: `.ci/docker.sh start`) or set DOCKER_HOST',
    ]);
  }, 60_000);

  it('fail under CI=true, saying why', () => {
    const run = jestWithoutDocker(true);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('service images (Docker): no Docker engine is reachable');
  }, 60_000);
});
