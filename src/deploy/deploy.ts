import type { ProgressiveCanaryPlan } from '../canary/plan.ts';
import { runProgressiveCanary } from '../canary/progressive.ts';
import type { ConsulClient } from '../clients/consul/index.ts';
import type { PrometheusClient } from '../clients/prometheus/index.ts';
import { ApiError } from '../clients/api-error.ts';
import { NomadCheckIndexConflict, type NomadClient } from '../clients/nomad/index.ts';
import { parseNomadWarnings } from '../plan/nomad-warnings.ts';
import { DroverError, ExitCode, InternalError } from '../errors.ts';
import { canonicalJson } from '../render/canonical-json.ts';
import { META } from '../render/context.ts';
import type { Report } from '../report/events.ts';
import type { JobOutcome, JobResult } from './outcome.ts';
import { setMaxListeners } from 'node:events';
import { startFactFeed, type FactFeed, type FactFeedMode } from '../watch/feed.ts';
import type { NomadDeployment, NomadJobRead } from '../wire/nomad-api.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { deployExitCode } from './exit-code.ts';
import { acquireEnvironmentLock } from './lock.ts';
import { findStops, pruneJobs } from './prune.ts';
import { summarizePlan } from './plan-summary.ts';
import { decideRegistration, hasAutoscaledGroups, type RegistrationDecision } from './registration.ts';
import { clusterMovedRefused, findMovedJobs, findMovedStops, type MovedJob, type SavedPlanCheck } from './saved-plan.ts';
import type { FailureLogsOptions } from './failure-logs.ts';
import type { RolloutStage } from './stages.ts';
import { watchJob } from './watch-job.ts';

/** A rendered job ready to deploy, with its place in the dependency graph. */
export interface DeployJob {
  readonly id: string;
  readonly job: NomadJob;
  readonly dependsOn: readonly string[];
}

export interface DeployOptions {
  readonly env: string;
  readonly project: string;
  readonly release: string;
  readonly jobs: readonly DeployJob[];
  /** Every job ID in jobs/ (with `--job`, more than `jobs`): prune never stops these. */
  readonly allJobIds?: readonly string[];
  readonly adopt?: boolean;
  readonly waitLock?: boolean;
  /**
   * Stop each job at healthy canaries (exit 3) instead of promoting them. A job waiting there
   * counts as deployed for the jobs that depend on it: they are registered too (and stop at their
   * own canaries), so the run ends with every job deployed or waiting and `drover promote`
   * finishes them all. The jobs must be rendered with `holdCanaries`.
   */
  readonly stopAtCanary?: boolean;
  /** Promote healthy canaries (environment policy `auto`). */
  readonly promote?: boolean;
  /** Jobs registered and watched at the same time. @default 8 */
  readonly parallelism?: number;
  /** Stop jobs this project owns in this environment that are no longer in jobs/ (after everything else succeeded). */
  readonly prune?: boolean;
  /** `stream` (default), `poll` (blocking queries only) or `interval` (1 s polling, for comparison). */
  readonly watch?: FactFeedMode;
  /** Jobs whose healthy canaries get a progressive canary (traffic steps judged by Prometheus), by job ID. */
  readonly canaries?: ReadonlyMap<string, ProgressiveCanaryPlan>;
  /**
   * `deploy --plan FILE`: the Nomad state the saved plan was computed against. Under the lock and
   * before anything is registered, every job (and, when pruning, every stop) must still be at its
   * planned `JobModifyIndex`, which registration then enforces as check-index.
   */
  readonly savedPlan?: SavedPlanCheck;
  /** After a failed rollout, show the failing task's last stderr lines. @default none */
  readonly failureLogs?: FailureLogsOptions;
}

export interface DeployDeps {
  readonly nomad: NomadClient;
  readonly consul: ConsulClient;
  readonly report: Report;
  readonly signal: AbortSignal;
  /**
   * Checks that Vault is ready for the jobs (policies, roles, secret paths and keys) and throws
   * with every problem otherwise. Runs under the lock, before any job is planned or registered.
   */
  readonly secretsPreflight?: (signal: AbortSignal) => Promise<void>;
  /** Answers the analysis queries of progressive canaries; required when `options.canaries` has any. */
  readonly prometheus?: PrometheusClient;
  /** Named stages run in order under the lock once every job finished (and prune ran): see {@link RolloutStage}. */
  readonly stages?: readonly RolloutStage[];
}

interface Preflight {
  readonly decision: RegistrationDecision;
  readonly enforceIndex: number;
  /** Nomad's warnings from the plan, already reported. */
  readonly warnings: readonly string[];
}

/**
 * The deploy: take the environment lock, decide per job (refusing foreign jobs before touching
 * anything), plan, then register each job once its dependencies succeeded and watch it to its
 * outcome. The lock is released on every exit path.
 */
export async function deploy(options: DeployOptions, deps: DeployDeps): Promise<JobResult[]> {
  const lock = await acquireEnvironmentLock(deps.consul, { env: options.env, release: options.release, wait: options.waitLock ?? false, report: deps.report, signal: deps.signal });
  deps.report({ type: 'lock-acquired', env: options.env, key: lock.key });
  const finished = new AbortController();
  const signal = AbortSignal.any([deps.signal, lock.lost, finished.signal]);
  // Every request in flight listens on this one signal; dozens at once is the design, not a leak.
  setMaxListeners(0, signal);
  try {
    await deps.secretsPreflight?.(signal);
    const preflight = await preflightJobs(options, { ...deps, signal });
    // Start the stream at the cluster's current index: older buffered batches are not news.
    const index = (await deps.nomad.jobs.list({ prefix: '', signal })).index;
    const feed = startFactFeed(deps.nomad, { signal, report: deps.report, mode: options.watch ?? 'stream', index, jobIds: options.jobs.map((j) => j.id) });
    const results = await runGraph(options, (job) => rollout(job, preflight.get(job.id)!, options, { ...deps, signal }, feed), deps.report);
    if (options.prune && deployExitCode(results) === ExitCode.ok) await prune(options, { ...deps, signal });
    for (const stage of deps.stages ?? []) await stage.run({ results, nomad: deps.nomad, consul: deps.consul, signal });
    return results;
  } finally {
    finished.abort(); // ends the event stream and any polling
    await lock.release();
  }
}

/** Planned stops run only after the new jobs succeeded: a failed deploy never removes anything. */
async function prune(options: DeployOptions, deps: DeployDeps): Promise<void> {
  const listed = await deps.nomad.jobs.list({ meta: true, signal: deps.signal });
  const stops = findStops(listed.value, options.project, options.env, options.allJobIds ?? options.jobs.map((j) => j.id));
  await pruneJobs(deps.nomad, stops, deps.report, { signal: deps.signal });
}

async function preflightJobs(options: DeployOptions, deps: DeployDeps): Promise<Map<string, Preflight>> {
  const results = new Map<string, Preflight>();
  const foreign: string[] = [];
  const seen = new Map<string, MovedJob['now']>();
  for (const item of options.jobs) {
    const [current, latest] = await Promise.all([readJob(deps.nomad, item.id, deps.signal), latestDeployment(deps.nomad, item.id, deps.signal)]);
    seen.set(item.id, current && { jobModifyIndex: current.JobModifyIndex, version: current.Version, release: current.Meta?.[META.release] ?? '' });
    const decision = decideRegistration({ current, latest, rendered: item.job, project: options.project, env: options.env, adopt: options.adopt ?? false });
    if (decision.action === 'refuse-foreign') foreign.push(`${item.id} (owned by ${decision.owner})`);
    let enforceIndex = current?.JobModifyIndex ?? 0;
    let warnings: readonly string[] = [];
    if (decision.action === 'register') {
      const plan = await deps.nomad.jobs.plan(item.job, { diff: true, signal: deps.signal });
      enforceIndex = plan.JobModifyIndex;
      deps.report({ type: 'job-planned', job: item.id, summary: summarizePlan(plan) });
      // Before anything is registered: the same warnings the registration will carry.
      warnings = parseNomadWarnings(plan.Warnings);
      if (warnings.length) deps.report({ type: 'job-warnings', job: item.id, source: 'plan', warnings });
    }
    // A saved plan's index, not the fresh plan's: registering then fails if the job moved after it.
    if (options.savedPlan) enforceIndex = options.savedPlan.indexes.get(item.id) ?? 0;
    results.set(item.id, { decision, enforceIndex, warnings });
  }
  if (options.savedPlan) await assertUnmoved(options, options.savedPlan, seen, deps);
  if (foreign.length) {
    throw new DroverError(`Refusing to deploy over jobs this project does not own in ${options.env}`, ExitCode.refused, {
      context: { jobs: foreign.join(', ') },
      hint: 'Rename the job in jobs/, or run with --adopt to take it over deliberately.',
    });
  }
  return results;
}

/** Refuses (exit 4) when a job or, with prune, a stop is not where the saved plan left it. */
async function assertUnmoved(options: DeployOptions, check: SavedPlanCheck, seen: ReadonlyMap<string, MovedJob['now']>, deps: DeployDeps): Promise<void> {
  const moved = findMovedJobs(check, seen);
  if (options.prune) {
    const listed = await deps.nomad.jobs.list({ meta: true, signal: deps.signal });
    moved.push(...findMovedStops(check, findStops(listed.value, options.project, options.env, options.allJobIds ?? options.jobs.map((j) => j.id))));
  }
  if (moved.length) throw clusterMovedRefused(moved, options.env, check.file);
}

async function rollout(item: DeployJob, preflight: Preflight, options: DeployOptions, deps: DeployDeps, feed: FactFeed): Promise<JobOutcome> {
  const { decision } = preflight;
  const progressive = progressiveRunner(item.id, options, deps);
  const watchOptions = {
    nomad: deps.nomad, consul: deps.consul, env: options.env, feed, report: deps.report, signal: deps.signal,
    stopAtCanary: options.stopAtCanary ?? false, promote: options.promote ?? false, ...(progressive ? { progressive } : {}),
    ...(options.failureLogs ? { failureLogs: options.failureLogs } : {}),
  };
  switch (decision.action) {
    case 'unchanged':
      return { status: 'unchanged', version: decision.version };
    case 'last-deployment-failed':
      return { status: 'failed', version: decision.version, reason: `this spec is already registered and its deployment failed: ${decision.description}` };
    case 'resume': {
      deps.report({ type: 'job-resumed', job: item.id, version: decision.version, deploymentId: decision.deploymentId });
      return watchJob({ jobId: item.id, jobType: item.job.Type, version: decision.version, evalId: '', sinceIndex: decision.sinceIndex }, watchOptions);
    }
    case 'refuse-foreign':
      throw new Error('internal: foreign jobs are refused in preflight');
    case 'register': {
      const response = await register(item, preflight.enforceIndex, options, deps);
      const version = await registeredVersion(deps.nomad, item.id, response.JobModifyIndex, deps.signal);
      deps.report({ type: 'job-registered', job: item.id, version, evalId: response.EvalID });
      // Only what the plan did not already say (the cluster's configuration may have changed in between).
      const fresh = parseNomadWarnings(response.Warnings).filter((w) => !preflight.warnings.includes(w));
      if (fresh.length) deps.report({ type: 'job-warnings', job: item.id, source: 'register', warnings: fresh });
      const launchesNothing = Boolean(item.job.Periodic || item.job.ParameterizedJob);
      return watchJob({ jobId: item.id, jobType: item.job.Type, version, evalId: response.EvalID, sinceIndex: response.JobModifyIndex, launchesNothing }, watchOptions);
    }
  }
}

/** The job's progressive canary, bound to this deploy's clients, or `undefined` when it has none. */
function progressiveRunner(jobId: string, options: DeployOptions, deps: DeployDeps) {
  const plan = options.canaries?.get(jobId);
  if (!plan) return undefined;
  const prometheus = deps.prometheus;
  if (!prometheus) throw new InternalError(`Job ${jobId} has a progressive canary but the deploy has no Prometheus client`);
  return (deploymentId: string, signal: AbortSignal) =>
    runProgressiveCanary({
      nomad: deps.nomad,
      consul: deps.consul,
      prometheus,
      env: options.env,
      job: jobId,
      group: plan.group,
      service: plan.service,
      routeSource: plan.routeSource,
      deploymentId,
      steps: plan.steps,
      analysis: plan.analysis,
      report: deps.report,
      signal,
    });
}

async function register(item: DeployJob, enforceIndex: number, options: DeployOptions, deps: DeployDeps) {
  try {
    return await deps.nomad.jobs.register(item.job, {
      enforceIndex,
      preserveCounts: hasAutoscaledGroups(item.job),
      submission: { source: canonicalJson({ Job: item.job }), format: 'json' },
      signal: deps.signal,
    });
  } catch (error) {
    if (!(error instanceof NomadCheckIndexConflict)) throw error;
    const now = await readJob(deps.nomad, item.id, deps.signal);
    throw new DroverError(`Job "${item.id}" changed in ${options.env} since drover planned it`, ExitCode.refused, {
      context: {
        planned: `job modify index ${enforceIndex}`,
        now: now ? `version ${now.Version}, job modify index ${now.JobModifyIndex}, release ${now.Meta?.[META.release] ?? 'not drover'}` : 'the job was removed',
      },
      hint: options.savedPlan
        ? `Someone deployed since your plan. Run \`drover plan ${options.env} --out ${options.savedPlan.file}\`, review it, then \`drover deploy ${options.env} --plan ${options.savedPlan.file}\`.`
        : `Someone deployed since the plan. Run \`drover plan ${options.env} --job ${item.id}\` and retry.`,
      cause: error,
    });
  }
}

/** Runs every job once its dependencies finished well, at most `parallelism` at a time. */
async function runGraph(options: DeployOptions, run: (job: DeployJob) => Promise<JobOutcome>, report: Report): Promise<JobResult[]> {
  const limit = createLimit(options.parallelism ?? 8);
  const outcomes = new Map<string, Promise<JobOutcome>>();
  const ok = (o: JobOutcome) => o.status === 'succeeded' || o.status === 'unchanged' || (options.stopAtCanary === true && o.status === 'awaiting-promotion');
  const start = (job: DeployJob): Promise<JobOutcome> => {
    const existing = outcomes.get(job.id);
    if (existing) return existing;
    const promise = (async (): Promise<JobOutcome> => {
      const deps = options.jobs.filter((j) => job.dependsOn.includes(j.id));
      if (deps.length) report({ type: 'job-waiting', job: job.id, on: deps.map((d) => d.id) });
      const depOutcomes = await Promise.all(deps.map(start));
      const failed = deps.filter((_, i) => !ok(depOutcomes[i]!)).map((d) => d.id);
      const outcome: JobOutcome = failed.length ? { status: 'skipped', reason: `dependency ${failed.join(', ')} did not deploy` } : await limit(() => run(job));
      report({ type: 'job-finished', job: job.id, outcome });
      return outcome;
    })();
    outcomes.set(job.id, promise);
    return promise;
  };
  // Start every job at once; each waits for its own dependencies (a loop of awaits would serialize
  // independent jobs).
  const finished = await Promise.all(options.jobs.map(start));
  return options.jobs.map((job, i) => ({ job: job.id, outcome: finished[i]! }));
}

function createLimit(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

async function readJob(nomad: NomadClient, id: string, signal: AbortSignal): Promise<NomadJobRead | null> {
  try {
    return (await nomad.jobs.read(id, { signal })).value;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

async function latestDeployment(nomad: NomadClient, id: string, signal: AbortSignal): Promise<NomadDeployment | null> {
  return (await nomad.jobs.latestDeployment(id, { signal })).value;
}

/** The version this registration created: the one with its JobModifyIndex (someone may have registered since). */
async function registeredVersion(nomad: NomadClient, id: string, jobModifyIndex: number, signal: AbortSignal): Promise<number> {
  const { value } = await nomad.jobs.versions(id, { signal });
  const mine = value.Versions.find((v) => v.JobModifyIndex === jobModifyIndex);
  if (mine) return mine.Version;
  throw new DroverError(`Job "${id}" changed right after drover registered it`, ExitCode.refused, {
    context: { registered: `job modify index ${jobModifyIndex}`, now: value.Versions.map((v) => `v${v.Version}@${v.JobModifyIndex}`).slice(0, 3).join(', ') },
    hint: 'Someone else is deploying this job. Check `drover history` and deploy again.',
  });
}
