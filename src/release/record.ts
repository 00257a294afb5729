import type { JobOutcome, JobResult } from '../deploy/outcome.ts';
import type { SmokeResult } from '../smoke/result.ts';
import type { JobFingerprint } from './fingerprint.ts';
import type { SoakProblem } from './soak.ts';

/**
 * A release: what one commit deployed to the source environment (QA), whether QA verified it, and
 * what later happened to it in the environments that take releases from there (prod). Plain JSON,
 * stored in the source environment's Consul KV and mirrored to `.drover/releases/<id>.json`.
 * Everything here is pure: clocks, users and hosts arrive as inputs.
 */

/** Bumped when the record's shape changes incompatibly; readers refuse newer schemas. */
export const RELEASE_SCHEMA = 1;

/**
 * `awaiting-promotion`: the QA deploy stopped at healthy canaries (`--stop-at-canary`); `drover
 * promote` completes the rollout, then verifies. `deployed`: QA runs it, not verified yet.
 * `verified`: smoke checks and soak passed. `failed`: they did not (or the QA rollout failed).
 */
export type ReleaseStatus = 'awaiting-promotion' | 'deployed' | 'verified' | 'failed';

/** How a deploy of the release to a target environment (prod) stands; `awaiting-promotion` until `drover promote` ends it. */
export type PromotionStatus = 'succeeded' | 'failed' | 'awaiting-promotion';

/** Who ended a rollout that had stopped at canaries, and when (`drover promote`). */
export interface PromotedBy {
  readonly at: string;
  /** `user@host`. */
  readonly by: string;
}

/** How the job's rollout ended in one environment. */
export interface JobDeployment {
  readonly status: JobOutcome['status'];
  /** Nomad job version running after the rollout, when there is one. */
  readonly version?: number;
  readonly deploymentId?: string;
  /** Why it failed or was skipped. */
  readonly reason?: string;
}

/** One job of the release. */
export interface ReleaseJob extends JobFingerprint {
  /** The job's `drover.spec_hash` as rendered for the source environment. */
  readonly specHash: string;
  /** Its rollout in the source environment. */
  readonly source: JobDeployment;
}

/** The outcome of verifying a release in the source environment. */
export interface Verification {
  readonly ok: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly smoke: readonly SmokeResult[];
  /** Soak time actually waited, and what went wrong during it. */
  readonly soak: { readonly durationMs: number; readonly problems: readonly SoakProblem[] };
}

/** A deploy of the release to an environment that takes releases (prod). */
export interface PromotionOutcome {
  readonly status: PromotionStatus;
  readonly at: string;
  /** `user@host` of whoever deployed it. */
  readonly by: string;
  readonly jobs: Readonly<Record<string, JobDeployment>>;
  /** Set when the gate was overridden with `--force --reason`. */
  readonly forced?: { readonly reason: string; readonly overrode: readonly string[] };
  /** Set once `drover promote` finished jobs that had stopped at canaries. */
  readonly promoted?: PromotedBy;
}

/** A release record, as stored in Consul KV and `.drover/releases/<id>.json`. */
export interface Release {
  readonly schema: typeof RELEASE_SCHEMA;
  /** `r-<yyyymmdd-hhmmss>-<sha7>` (UTC): ids sort by creation time. */
  readonly id: string;
  readonly gitSha: string;
  readonly project: string;
  /** Environment that deployed and verified it (QA); its Consul stores the record. */
  readonly sourceEnv: string;
  readonly status: ReleaseStatus;
  readonly createdAt: string;
  /** `user@host` of whoever deployed it to the source environment. */
  readonly createdBy: string;
  /** By job ID, sorted. */
  readonly jobs: Readonly<Record<string, ReleaseJob>>;
  readonly verification?: Verification;
  /** Why the release failed when it was not a verification (a failed QA rollout). */
  readonly failure?: string;
  /** Set once `drover promote` finished the QA jobs that had stopped at canaries. */
  readonly promoted?: PromotedBy;
  /** By target environment name: the prod section (and any other environment taking releases). */
  readonly promotions: Readonly<Record<string, PromotionOutcome>>;
}

/** `r-20240131-094500-3f2a9c1` from the creation time (UTC) and the commit. */
export function releaseId(createdAt: Date, gitSha: string): string {
  const stamp = createdAt.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  return `r-${stamp}-${gitSha.slice(0, 7)}`;
}

/** Inputs of `buildRelease`; the clock and the operator are values, read by the caller. */
export interface BuildReleaseInput {
  readonly id: string;
  readonly gitSha: string;
  readonly project: string;
  readonly sourceEnv: string;
  readonly createdAt: Date;
  readonly createdBy: string;
  /** Fingerprint and rendered spec hash of each deployed job. */
  readonly jobs: readonly (JobFingerprint & { readonly specHash: string })[];
  /** `deploy()`'s results for those jobs. */
  readonly results: readonly JobResult[];
}

/**
 * The record of a finished QA deploy: `deployed` when every job succeeded or was unchanged,
 * `awaiting-promotion` when the others wait at healthy canaries, else `failed`.
 */
export function buildRelease(input: BuildReleaseInput): Release {
  const outcomes = new Map(input.results.map((r) => [r.job, r.outcome]));
  const jobs = [...input.jobs].sort((a, b) => (a.id < b.id ? -1 : 1));
  const notOk = jobs.filter((j) => !isGoodOutcome(outcomes.get(j.id)) && outcomes.get(j.id)?.status !== 'awaiting-promotion');
  const waiting = jobs.some((j) => outcomes.get(j.id)?.status === 'awaiting-promotion');
  return {
    schema: RELEASE_SCHEMA,
    id: input.id,
    gitSha: input.gitSha,
    project: input.project,
    sourceEnv: input.sourceEnv,
    status: notOk.length ? 'failed' : waiting ? 'awaiting-promotion' : 'deployed',
    createdAt: input.createdAt.toISOString(),
    createdBy: input.createdBy,
    jobs: Object.fromEntries(jobs.map((j) => [j.id, { ...j, source: toJobDeployment(outcomes.get(j.id)) }])),
    ...(notOk.length ? { failure: `${input.sourceEnv} deploy did not succeed for ${notOk.map((j) => j.id).join(', ')}` } : {}),
    promotions: {},
  };
}

/** A rollout outcome as the record keeps it; a job without a result counts as skipped. */
export function toJobDeployment(outcome: JobOutcome | undefined): JobDeployment {
  if (!outcome) return { status: 'skipped', reason: 'no result was reported for this job' };
  return {
    status: outcome.status,
    ...('version' in outcome ? { version: outcome.version } : {}),
    ...('deploymentId' in outcome && outcome.deploymentId ? { deploymentId: outcome.deploymentId } : {}),
    ...('reason' in outcome ? { reason: outcome.reason } : {}),
  };
}

/** Succeeded or unchanged: the job runs what the release rendered. */
export function isGoodOutcome(outcome: Pick<JobOutcome, 'status'> | undefined): boolean {
  return outcome?.status === 'succeeded' || outcome?.status === 'unchanged';
}

/** A target's status from its jobs: any job that did not deploy fails it, else any still waiting keeps it waiting. */
export function promotionStatus(jobs: readonly JobDeployment[]): PromotionStatus {
  if (jobs.some((j) => !isGoodOutcome(j) && j.status !== 'awaiting-promotion')) return 'failed';
  return jobs.some((j) => j.status === 'awaiting-promotion') ? 'awaiting-promotion' : 'succeeded';
}

/**
 * The jobs of `release` that wait at canaries in `env` (its source or a target), by job ID, with
 * the deployment each waits at: what `drover promote` may complete. A job counts only while its
 * recorded status is `awaiting-promotion`.
 */
export function jobsAwaitingPromotion(release: Release, env: string): ReadonlyMap<string, string> {
  const deployments: Record<string, JobDeployment> =
    env === release.sourceEnv ? Object.fromEntries(Object.entries(release.jobs).map(([id, j]) => [id, j.source])) : { ...release.promotions[env]?.jobs };
  const waiting = new Map<string, string>();
  for (const [id, d] of Object.entries(deployments)) if (d.status === 'awaiting-promotion' && d.deploymentId) waiting.set(id, d.deploymentId);
  return waiting;
}

/**
 * The release after `drover promote` finished some of its jobs in `env` (how each rollout ended
 * now). In the source environment the release becomes `deployed` (ready to verify) once no job
 * waits any more, `failed` when one did not deploy; in a target, that environment's outcome is
 * recomputed the same way. Only jobs recorded as waiting change; anything else is a conflict.
 */
export function withPromotedJobs(release: Release, env: string, jobs: Readonly<Record<string, JobDeployment>>, promoted: PromotedBy): Release {
  const waiting = jobsAwaitingPromotion(release, env);
  const stray = Object.keys(jobs).filter((id) => !waiting.has(id));
  if (stray.length) throw new Error(`release ${release.id} has no job waiting for promotion in ${env} named ${stray.sort().join(', ')}`);
  if (env !== release.sourceEnv) {
    const previous = release.promotions[env]!;
    const merged = { ...previous.jobs, ...jobs };
    return withPromotion(release, env, { ...previous, status: promotionStatus(Object.values(merged)), jobs: merged, promoted });
  }
  const merged = Object.fromEntries(Object.entries(release.jobs).map(([id, j]) => [id, jobs[id] ? { ...j, source: jobs[id] } : j]));
  const status = promotionStatus(Object.values(merged).map((j) => j.source));
  const failed = Object.values(merged).filter((j) => !isGoodOutcome(j.source) && j.source.status !== 'awaiting-promotion').map((j) => j.id);
  return {
    ...release,
    jobs: merged,
    status: status === 'failed' ? 'failed' : status === 'awaiting-promotion' ? 'awaiting-promotion' : 'deployed',
    ...(failed.length ? { failure: `${release.sourceEnv} promotion did not succeed for ${failed.join(', ')}` } : {}),
    promoted,
  };
}

/**
 * The release after verification. Only a `deployed` release can be verified: a failed one stays
 * failed (verify a new release instead), and verifying twice keeps the first answer.
 */
export function withVerification(release: Release, verification: Verification): Release {
  if (release.status !== 'deployed') throw new Error(`release ${release.id} is ${release.status}; only a deployed release can be verified`);
  return { ...release, status: verification.ok ? 'verified' : 'failed', verification };
}

/** The release with the outcome of deploying it to `env` (replacing an earlier attempt there). */
export function withPromotion(release: Release, env: string, outcome: PromotionOutcome): Release {
  return { ...release, promotions: { ...release.promotions, [env]: outcome } };
}
