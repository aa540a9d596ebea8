/**
 * `npm run local -- [up|down] [options]`: the platform description's services as local containers (HELP in
 * arguments.ts). Exit codes: 0 all healthy (or done), 1 a container is not healthy or a command failed, 2 bad input or
 * a missing tool.
 */
import { relative } from 'node:path';
import { UsageError } from '../cli/usage';
import { HELP, parseArguments } from './arguments';
import { LocalSetupError } from './compose-command';
import { downLocal, preparePlan, upLocal, writePlan } from './run';
import { renderSummary } from './summary';
import { PlatformConfigError } from '../description/errors';

async function main(argv: readonly string[]): Promise<number> {
  const { action, options } = parseArguments(argv);
  if (action === 'help') {
    console.log(HELP);
    return 0;
  }
  if (action === 'write') {
    const plan = await preparePlan(options);
    writePlan(plan);
    const file = relative(process.cwd(), plan.file);
    console.log(`local: wrote ${file} (${plan.spec.environment}, ${plan.containers.length} containers); start it: docker-compose -p ${plan.project} -f ${file} up -d`);
    return 0;
  }
  if (action === 'down') {
    const plan = await downLocal(options);
    console.log(`local: project ${plan.project} stopped and removed (containers, network, volumes, .local/${plan.project})`);
    return 0;
  }
  const run = await upLocal(options);
  const { spec, project } = run.plan;
  console.log(`local: ${spec.name} (${spec.environment}) as Compose project ${project}, with ${run.compose}; the mesh (Istio routing, mTLS, policies) is not part of it`);
  console.log(renderSummary(run.rows));
  if (run.plan.database) {
    console.log(`local: the database's passwords and URLs are in ${relative(process.cwd(), run.plan.database.state.directory)}/ (a 0700 directory; the Compose file holds only their paths)`);
  }
  const traces = run.plan.traceBackend && run.rows.find((row) => row.service === run.plan.traceBackend?.name);
  if (traces && traces.url !== '-') console.log(`local: traces in Jaeger at ${traces.url} (its UI; the services export to it as in the cluster)`);
  for (const problem of run.problems) console.error(`local: ${problem}`);
  console.log(run.healthy ? `local: all healthy; stop with npm run local -- down${options.project ? ` --project ${project}` : ''}` : 'local: not every container is healthy (above: why)');
  return run.healthy ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    const usage = error instanceof UsageError || error instanceof LocalSetupError;
    console.error(usage || error instanceof PlatformConfigError ? `local: ${error.message}` : error);
    process.exitCode = usage ? 2 : 1;
  },
);
