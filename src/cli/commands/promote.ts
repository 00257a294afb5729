import { ApiError } from '../../clients/api-error.ts';
import { deployExitCode } from '../../deploy/exit-code.ts';
import { acquireEnvironmentLock, type EnvironmentLock } from '../../deploy/lock.ts';
import { foreignJobsRefused, isOwnedBy, ownedJobs, describeOwner } from '../../deploy/ownership.ts';
import type { FailureLogsOptions } from '../../deploy/failure-logs.ts';
import { watchJob } from '../../deploy/watch-job.ts';
import { DroverError, ExitCode, UsageError } from '../../errors.ts';
import { isDuration, type Duration } from '../../model/duration.ts';
import { currentOperator } from '../../release/operator.ts';
import { awaitsPromotion, describeCanaries, nomadErrorLines } from '../../inspect/promotion.ts';
import { formatError } from '../../report/error.ts';
import type { JobOutcome, JobResult } from '../../deploy/outcome.ts';
import { short } from '../../report/formatters.ts';
import { summaryTable } from '../../report/reporters/tty.ts';
import type { Style } from '../../report/style.ts';
import { startFactFeed, type FactFeed } from '../../watch/feed.ts';
import type { NomadDeployment } from '../../wire/nomad-api.ts';
import { parseCommandArgs } from '../args.ts';
import { withFabioAddress } from '../clients.ts';
import { failureLogLines, failureLogsOptions } from '../failure-logs.ts';
import type { CliIo } from '../io.ts';
import { humanStream } from '../output.ts';
import { openProject, prepare } from '../pipeline.ts';
import { completeReleases, findWaitingReleases, type ReleaseCompletion } from '../promote-release.ts';
import { connectCluster, readJobOrNull, type ClusterSession } from './status.ts';
import { PROMOTE_HELP, PROMOTE_CHOICES, PROMOTE_OPTIONS } from '../usage/promote.ts';

interface Candidate {
  readonly jobId: string;
  readonly deployment: NomadDeployment | null;
}

/** `drover promote`: promotes deployments waiting with canaries and watches them; exit as deploy's. */
export async function promoteCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('promote', argv, PROMOTE_OPTIONS, PROMOTE_CHOICES);
  if (values.help) return io.stdout.write(PROMOTE_HELP), ExitCode.ok;
  if (values.soak !== undefined && !isDuration(values.soak)) throw new UsageError(`--soak ${values.soak} is not a duration`, { hint: 'Write e.g. --soak 30s or --soak 0.' });
  const logsOnFailure = failureLogLines(values['logs-on-failure']);
  const prepared = prepare(await openProject(io, values), positionals[0], io);
  const failureLogs = failureLogsOptions(logsOnFailure, io.env, prepared.env.nomad.namespace);
  const session = await connectCluster(prepared, io, style, values.output);
  let completion: ReleaseCompletion | undefined;
  let lock: EnvironmentLock | undefined;
  try {
    const candidates = await findCandidates(session, values.job);
    const waiting = candidates.filter((c): c is { jobId: string; deployment: NomadDeployment } => awaitsPromotion(c.deployment));
    if (waiting.length === 0) {
      humanStream(io, values.output).write(`Nothing awaits promotion in ${session.env}.\n${candidates.map((c) => `  ${c.jobId}: ${describeLatest(c.deployment)}\n`).join('')}`);
      session.report({ type: 'deploy-finished', env: session.env, exitCode: ExitCode.ok, results: [] });
      return ExitCode.ok;
    }
    const environments = prepared.project.environments.map((m) => m.value);
    completion = await findWaitingReleases({ env: prepared.env, environments, projectRoot: prepared.project.root, io, consul: session.consul, nomad: session.nomad, deployments: waiting, signal: session.signal });
    // QA verifies after promoting: hold the lock from the promotion to the end of the soak, as deploy does.
    if (completion?.role === 'source') lock = await lockFor(session, [...completion.waiting.keys()], values['wait-lock'] ?? false);
    const signal = lock ? AbortSignal.any([session.signal, lock.lost]) : session.signal;
    // Start the stream before promoting, so the promotion's consequences are not missed.
    const index = Math.max(...waiting.map((c) => c.deployment.ModifyIndex));
    const feed = startFactFeed(session.nomad, { signal, report: session.report, index });
    const promoted = await Promise.all(waiting.map(async (c) => ({ job: c.jobId, ...(await promoteAndWatch({ ...session, signal }, c.deployment, { feed, failureLogs, io, style })) })));
    const results: JobResult[] = promoted.map(({ job, outcome }) => ({ job, outcome }));
    humanStream(io, values.output).write(summaryTable(results, session.env));
    if (completion) {
      await completeReleases(
        completion,
        {
          env: withFabioAddress(prepared.env, io.env),
          // A refused promotion leaves its deployment waiting, and the record with it.
          results: promoted.filter((p) => p.promoted),
          specs: prepared.jobs.map((j) => j.spec),
          operator: currentOperator(),
          now: () => new Date(),
          ...(values.soak !== undefined ? { soak: values.soak as Duration } : {}),
        },
        { nomad: session.nomad, consul: session.consul, report: session.report, signal },
      );
    }
    const exitCode = deployExitCode(results);
    // The summary record, last on stdout with --output ndjson (as deploy's).
    session.report({ type: 'deploy-finished', env: session.env, exitCode, results });
    return exitCode;
  } finally {
    await lock?.release();
    completion?.close();
    session.close();
  }
}

async function lockFor(session: ClusterSession, releases: readonly string[], wait: boolean): Promise<EnvironmentLock> {
  const lock = await acquireEnvironmentLock(session.consul, { env: session.env, release: releases.join(', '), wait, report: session.report, signal: session.signal });
  session.report({ type: 'lock-acquired', env: session.env, key: lock.key });
  return lock;
}

/** The latest deployment of the named job, or of every job this project owns in the environment. */
async function findCandidates(session: ClusterSession, jobId: string | undefined): Promise<Candidate[]> {
  const { nomad, signal } = session;
  let ids: string[];
  if (jobId) {
    const job = await readJobOrNull(nomad, jobId, signal);
    if (!job) throw new DroverError(`Job "${jobId}" does not exist in ${session.env}`, ExitCode.refused, { hint: `Run \`drover status ${session.env}\` to see the jobs this project runs there.` });
    if (!isOwnedBy(job.Meta, session.owner)) throw foreignJobsRefused([{ id: jobId, owner: describeOwner(job.Meta) }], session.env, 'promote', false);
    ids = [jobId];
  } else {
    ids = ownedJobs((await nomad.jobs.list({ meta: true, signal })).value, session.owner).filter((j) => !j.Stop).map((j) => j.ID);
  }
  return Promise.all(ids.map(async (id) => ({ jobId: id, deployment: (await nomad.jobs.latestDeployment(id, { signal })).value })));
}

function describeLatest(deployment: NomadDeployment | null): string {
  if (!deployment) return 'no deployment';
  return `latest deployment ${short(deployment.ID)} (version ${deployment.JobVersion}) is ${deployment.Status}${deployment.StatusDescription ? `: ${deployment.StatusDescription}` : ''}`;
}

/** Promotes one deployment and watches it to its end; `promoted` is false when Nomad refused (the canaries still wait). */
async function promoteAndWatch(
  session: ClusterSession,
  deployment: NomadDeployment,
  { feed, failureLogs, io, style }: { readonly feed: FactFeed; readonly failureLogs: FailureLogsOptions; readonly io: CliIo; readonly style: Style },
): Promise<{ outcome: JobOutcome; promoted: boolean }> {
  const { nomad, report, signal } = session;
  const job = deployment.JobID;
  try {
    await nomad.deployments.promote(deployment.ID, { all: true }, { signal });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === undefined) throw error;
    const reasons = nomadErrorLines(error.body);
    io.stderr.write(formatError(promotionRefused(session.env, deployment, reasons, error), style));
    const outcome: JobOutcome = { status: 'failed', version: deployment.JobVersion, reason: `promotion refused by Nomad: ${reasons.join('; ')}` };
    report({ type: 'job-finished', job, outcome });
    return { outcome, promoted: false };
  }
  report({ type: 'deployment-promoted', job, deploymentId: deployment.ID });
  const jobType = (await nomad.jobs.read(job, { signal })).value.Type;
  // Facts older than the deployment belong to earlier rollouts (an old placement failure must not count).
  const target = { jobId: job, jobType, version: deployment.JobVersion, evalId: '', sinceIndex: deployment.CreateIndex };
  const outcome = await watchJob(target, { nomad, env: session.env, feed, report, signal, stopAtCanary: false, promote: false, failureLogs });
  report({ type: 'job-finished', job, outcome });
  return { outcome, promoted: true };
}

function promotionRefused(env: string, deployment: NomadDeployment, reasons: readonly string[], cause: ApiError): DroverError {
  const job = deployment.JobID;
  return new DroverError(`Nomad refused to promote deployment ${short(deployment.ID)} of job "${job}" in ${env}`, ExitCode.deploymentFailed, {
    context: {
      cause: `Nomad ${cause.status}: ${reasons.join('; ') || 'no reason given'}`,
      deployment: `${deployment.ID} (version ${deployment.JobVersion}, ${deployment.Status}; ${describeCanaries(deployment)})`,
    },
    hint: `Wait until the canaries are healthy (\`drover status ${env}\`), then run \`drover promote ${env} --job ${job}\` again, or roll back with \`drover rollback ${env} --job ${job}\`.`,
    cause,
  });
}
