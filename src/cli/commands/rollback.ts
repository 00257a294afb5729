import { NomadCheckIndexConflict } from '../../clients/nomad/index.ts';
import { deployExitCode } from '../../deploy/exit-code.ts';
import { describeOwner, foreignJobsRefused, isOwnedBy } from '../../deploy/ownership.ts';
import type { FailureLogsOptions } from '../../deploy/failure-logs.ts';
import { watchJob } from '../../deploy/watch-job.ts';
import { DroverError, ExitCode, UsageError } from '../../errors.ts';
import { chooseRollbackTarget } from '../../inspect/versions.ts';
import { META } from '../../render/context.ts';
import { summaryTable } from '../../report/reporters/tty.ts';
import type { Style } from '../../report/style.ts';
import { startFactFeed } from '../../watch/feed.ts';
import type { NomadJobRead } from '../../wire/nomad-api.ts';
import { nameAJob, parseCommandArgs } from '../args.ts';
import { failureLogLines, failureLogsOptions } from '../failure-logs.ts';
import type { CliIo } from '../io.ts';
import { humanStream } from '../output.ts';
import { openProject, prepare } from '../pipeline.ts';
import { deployCommand } from './deploy.ts';
import { connectCluster, readJobOrNull, type ClusterSession } from './status.ts';
import { ROLLBACK_HELP, ROLLBACK_CHOICES, ROLLBACK_OPTIONS } from '../usage/rollback.ts';

/** `drover rollback`: reverts a job with check-and-set on its version and watches the result; exit as deploy's, 4 when refused. */
export async function rollbackCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('rollback', argv, ROLLBACK_OPTIONS, ROLLBACK_CHOICES);
  if (values.help) return io.stdout.write(ROLLBACK_HELP), ExitCode.ok;
  const logsOnFailure = failureLogLines(values['logs-on-failure']);
  if (values.release !== undefined) return rollbackToRelease(values, positionals, io, style);
  const prepared = prepare(await openProject(io, values), positionals[0], io);
  const jobId = values.job;
  if (!jobId) {
    throw new UsageError('No job or release given', {
      hint: `${nameAJob(`drover rollback ${prepared.env.name}`, prepared.jobs.map((j) => j.spec.id))} To roll every job back to a release, add --release with an id from \`drover releases\`.`,
    });
  }
  if (values.to !== undefined && !/^\d+$/.test(values.to)) throw new UsageError(`--to must be a job version number, not "${values.to}"`, { hint: `Run \`drover history ${prepared.env.name} --job ${jobId}\` for the versions.` });
  const failureLogs = failureLogsOptions(logsOnFailure, io.env, prepared.env.nomad.namespace);
  const session = await connectCluster(prepared, io, style, values.output);
  try {
    const requested = values.to === undefined ? undefined : Number(values.to);
    return await rollback(session, { jobId, requested, failureLogs }, { ...io, stdout: humanStream(io, values.output) });
  } finally {
    session.close();
  }
}

/** `--release ID`: a deploy of that release (the prod gate, pins and outcome record included). */
async function rollbackToRelease(values: { readonly [K in keyof typeof ROLLBACK_OPTIONS]?: string | boolean }, positionals: readonly string[], io: CliIo, style: Style): Promise<number> {
  if (values.job !== undefined || values.to !== undefined) throw new UsageError('--release rolls back every job; it does not combine with --job or --to');
  const env = positionals[0];
  if (!env) throw new UsageError('No environment given', { hint: 'Usage: drover rollback <env> --release ID' });
  const project = await openProject(io, { project: values.project as string | undefined, environments: values.environments as string | undefined });
  const target = project.environments.find((m) => m.value.name === env)?.value;
  if (target && !target.promotion.releasesFrom) {
    throw new UsageError(`${env} takes no releases from another environment; --release rolls back environments that do (promotion.releasesFrom)`, {
      hint: `Roll back one job with \`drover rollback ${env} --job ID\`, or deploy the old commit to ${env}.`,
    });
  }
  const passthrough = (['project', 'environments', 'output', 'reason', 'logs-on-failure'] as const).flatMap((key) => (typeof values[key] === 'string' ? [`--${key}`, values[key] as string] : []));
  const flags = (['yes', 'force'] as const).flatMap((key) => (values[key] === true ? [`--${key}`] : []));
  return deployCommand([env, '--release', values.release as string, ...passthrough, ...flags], io, style);
}

async function rollback(
  session: ClusterSession,
  { jobId, requested, failureLogs }: { readonly jobId: string; readonly requested: number | undefined; readonly failureLogs: FailureLogsOptions },
  io: CliIo,
): Promise<number> {
  const { nomad, signal, report, env } = session;
  const current = await readJobOrNull(nomad, jobId, signal);
  if (!current) throw new DroverError(`Job "${jobId}" does not exist in ${env}; nothing to roll back`, ExitCode.refused, { hint: `Run \`drover status ${env}\` for the jobs this project runs there.` });
  if (!isOwnedBy(current.Meta, session.owner)) throw foreignJobsRefused([{ id: jobId, owner: describeOwner(current.Meta) }], env, 'roll back', false);
  const versions = await nomad.jobs.versions(jobId, { signal });
  const choice = chooseRollbackTarget(versions.value.Versions, current, requested);
  if (!choice.ok) {
    throw new DroverError(`Cannot roll back job "${jobId}" in ${env}: ${choice.reason}`, ExitCode.refused, {
      context: { current: describeVersion(current) },
      hint: `Pick a version with --to VERSION; \`drover history ${env} --job ${jobId}\` lists them.`,
    });
  }
  const { target } = choice;
  report({ type: 'job-progress', job: jobId, message: `rolling back from ${describeVersion(current)} to ${describeVersion(target)}${choice.stable ? '' : ' (never deployed successfully)'}` });
  // Stream from before the revert, so its evaluation and deployment are not missed.
  const feed = startFactFeed(nomad, { signal, report, index: versions.index });
  const response = await nomad.jobs.revert(jobId, target.Version, { enforcePriorVersion: current.Version, signal }).catch((error: unknown) => {
    if (!(error instanceof NomadCheckIndexConflict)) throw error;
    throw new DroverError(`Job "${jobId}" changed in ${env} while drover prepared the rollback`, ExitCode.refused, {
      context: { expected: `version ${current.Version}`, now: error.actual === undefined ? 'unknown' : `version ${error.actual}` },
      hint: `Someone deployed meanwhile. Check \`drover history ${env} --job ${jobId}\` and run the rollback again.`,
      cause: error,
    });
  });
  const after = (await nomad.jobs.read(jobId, { signal })).value;
  if (after.Version === current.Version) {
    io.stdout.write(`Version ${target.Version} runs the same spec as version ${current.Version}; Nomad registered nothing new.\n`);
    report({ type: 'deploy-finished', env, exitCode: ExitCode.ok, results: [] });
    return ExitCode.ok;
  }
  report({ type: 'job-registered', job: jobId, version: after.Version, evalId: response.EvalID });
  const watchTarget = { jobId, jobType: current.Type, version: after.Version, evalId: response.EvalID, sinceIndex: response.JobModifyIndex };
  const outcome = await watchJob(watchTarget, { nomad, env, feed, report, signal, stopAtCanary: false, promote: true, failureLogs });
  report({ type: 'job-finished', job: jobId, outcome });
  const results = [{ job: jobId, outcome }];
  io.stdout.write(summaryTable(results, env));
  if (outcome.status === 'succeeded') io.stdout.write(`Rolled ${jobId} in ${env} back from version ${current.Version} to the spec of version ${target.Version} (now version ${after.Version}).\n`);
  const exitCode = deployExitCode(results);
  // The summary record, last on stdout with --output ndjson (as deploy's).
  report({ type: 'deploy-finished', env, exitCode, results });
  return exitCode;
}

function describeVersion(job: NomadJobRead): string {
  const release = job.Meta?.[META.release];
  return `version ${job.Version}${release ? ` (release ${release})` : ''}`;
}
