import { ApiError } from '../../clients/api-error.ts';
import { deployExitCode } from '../../deploy/exit-code.ts';
import { foreignJobsRefused, isOwnedBy, ownedJobs, describeOwner } from '../../deploy/ownership.ts';
import { watchJob } from '../../deploy/watch-job.ts';
import { DroverError, ExitCode } from '../../errors.ts';
import { awaitsPromotion, describeCanaries, nomadErrorLines } from '../../plan/promotion.ts';
import { formatError } from '../../report/error.ts';
import type { JobOutcome, JobResult } from '../../report/events.ts';
import { short } from '../../report/formatters.ts';
import { summaryTable } from '../../report/reporters/tty.ts';
import type { Style } from '../../report/style.ts';
import { startFactFeed, type FactFeed } from '../../watch/feed.ts';
import type { NomadDeployment } from '../../wire/nomad-api.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare } from '../pipeline.ts';
import { connectCluster, OUTPUT_OPTIONS, readJobOrNull, type ClusterSession } from './status.ts';

/** `--help` text of `drover promote`. */
export const PROMOTE_HELP = `drover promote <env> [--job ID]

Promotes every deployment of this project's jobs in <env> that is running with canaries not yet
promoted (all groups), then watches each to its end, as deploy does: fails fast on failing
allocations and reports a rollback. Says so, and exits 0, when nothing awaits promotion.
Nomad refuses to promote unhealthy canaries (e.g. \`Task group "api" has 0/1 healthy allocations\`);
drover shows that error and exits 1.

  --job ID            promote only this job's deployment
  --output MODE       tty (live view), plain (one line per change, default in CI), ndjson
  --project DIR, --environments DIR   as for deploy

Exit: 0 promoted and deployed (or nothing to promote), 1 promotion refused or deployment failed,
2 placement failure, 4 refused (job not owned by this project), 64 usage, 69 unreachable.
`;

const OPTIONS = { ...COMMON_OPTIONS, ...OUTPUT_OPTIONS, job: { type: 'string' } } as const;

interface Candidate {
  readonly jobId: string;
  readonly deployment: NomadDeployment | null;
}

/** `drover promote`: promotes deployments waiting with canaries and watches them; exit as deploy's. */
export async function promoteCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('promote', argv, OPTIONS);
  if (values.help) return io.stdout.write(PROMOTE_HELP), ExitCode.ok;
  const prepared = prepare(await openProject(io, values), positionals[0], io);
  const session = await connectCluster(prepared, io, style, values.output);
  try {
    const candidates = await findCandidates(session, values.job);
    const waiting = candidates.filter((c): c is { jobId: string; deployment: NomadDeployment } => awaitsPromotion(c.deployment));
    if (waiting.length === 0) {
      io.stdout.write(`Nothing awaits promotion in ${session.env}.\n${candidates.map((c) => `  ${c.jobId}: ${describeLatest(c.deployment)}\n`).join('')}`);
      return ExitCode.ok;
    }
    // Start the stream before promoting, so the promotion's consequences are not missed.
    const index = Math.max(...waiting.map((c) => c.deployment.ModifyIndex));
    const feed = startFactFeed(session.nomad, { signal: session.signal, report: session.report, index });
    const results = await Promise.all(waiting.map(async (c): Promise<JobResult> => ({ job: c.jobId, outcome: await promoteAndWatch(session, c.deployment, feed, io, style) })));
    io.stdout.write(summaryTable(results));
    return deployExitCode(results);
  } finally {
    session.close();
  }
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

async function promoteAndWatch(session: ClusterSession, deployment: NomadDeployment, feed: FactFeed, io: CliIo, style: Style): Promise<JobOutcome> {
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
    return outcome;
  }
  report({ type: 'deployment-promoted', job, deploymentId: deployment.ID });
  const jobType = (await nomad.jobs.read(job, { signal })).value.Type;
  // Facts older than the deployment belong to earlier rollouts (an old placement failure must not count).
  const target = { jobId: job, jobType, version: deployment.JobVersion, evalId: '', sinceIndex: deployment.CreateIndex };
  const outcome = await watchJob(target, { nomad, feed, report, signal, stopAtCanary: false, promote: false });
  report({ type: 'job-finished', job, outcome });
  return outcome;
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
