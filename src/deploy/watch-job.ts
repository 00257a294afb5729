import type { CanaryOutcome } from '../canary/events.ts';
import { ApiError } from '../clients/api-error.ts';
import type { ConsulClient } from '../clients/consul/index.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { Report } from '../report/events.ts';
import type { JobOutcome } from './outcome.ts';
import { decideRollout, type RolloutDecision } from '../watch/decide.ts';
import type { HealthWait } from '../watch/health-wait.ts';
import { describeCheck } from '../watch/health-wait-text.ts';
import type { FactFeed } from '../watch/feed.ts';
import { initialRollout, reduceRollout, rolloutDeployment, type Fact, type RolloutState } from '../watch/state.ts';
import type { NomadJobType } from '../wire/nomad-api.ts';
import { failingAllocation } from '../watch/explain.ts';
import { reportFailureLogs, type FailureLogsOptions } from './failure-logs.ts';
import { createHealthWatch } from './health-watch.ts';

export interface WatchJobOptions {
  readonly nomad: NomadClient;
  /** The environment's name, for the commands drover names next. */
  readonly env: string;
  readonly feed: FactFeed;
  readonly report: Report;
  readonly signal: AbortSignal;
  /** Exit at healthy canaries (3) instead of waiting for someone to promote. */
  readonly stopAtCanary: boolean;
  /** drover promotes healthy canaries itself (environment policy `auto`). */
  readonly promote: boolean;
  /**
   * Runs this job's progressive canary once its canaries are healthy (instead of promoting or
   * waiting): traffic steps, analysis, then promote or fail. Resolves with how it ended.
   */
  readonly progressive?: (deploymentId: string, signal: AbortSignal) => Promise<CanaryOutcome>;
  /** Where the services' checks are: while allocations wait to be healthy, failing checks are reported. */
  readonly consul?: Pick<ConsulClient, 'health'>;
  /** drover's clock, for how long a check has been seen failing. @default Date.now */
  readonly now?: () => number;
  /** After a failed rollout, report the failing task's last stderr lines (`--logs-on-failure` of deploy, promote, rollback). @default none */
  readonly failureLogs?: FailureLogsOptions;
}

export interface WatchTarget {
  readonly launchesNothing?: boolean;
  readonly jobId: string;
  readonly jobType: NomadJobType;
  readonly version: number;
  readonly evalId: string;
  readonly sinceIndex: number;
}

/**
 * Follows one job to its real outcome: evaluation → deployment → allocations. Fails the
 * deployment in Nomad as soon as an allocation fails unambiguously (so auto_revert rolls back now,
 * not at the deadline), then follows the rollback and reports the version now running — or, when
 * Nomad's revert waits for its canaries to be promoted, says so and ends there (drover does not
 * promote it: that stays the decision of whoever promotes this environment's canaries).
 */
export async function watchJob(target: WatchTarget, options: WatchJobOptions): Promise<JobOutcome> {
  let state = initialRollout(target);
  let wake: (() => void) | undefined;
  /** The allocation drover saw fail first (its stderr is shown if the rollout fails). */
  let failing: { allocId: string; allocName: string; task: string } | undefined;
  const health = createHealthWatch({
    job: target.jobId, nomad: options.nomad, report: options.report, signal: options.signal,
    ...(options.consul ? { consul: options.consul } : {}), ...(options.now ? { now: options.now } : {}),
  });
  const unsubscribe = options.feed.subscribe(target.jobId, (fact: Fact) => {
    state = reduceRollout(state, fact);
    wake?.();
  });
  try {
    // The stream delivers the same facts; a failed first read (after the client's retries) only
    // means waiting for them.
    await options.feed.refresh(target.jobId).catch((error: unknown) => {
      if (options.signal.aborted) throw error;
    });
    let lastReason = '';
    let announced = '';
    for (;;) {
      const decision = decideRollout(state);
      if (decision.type === 'wait') {
        if (decision.reason !== lastReason) options.report({ type: 'job-progress', job: target.jobId, message: decision.reason });
        lastReason = decision.reason;
        await health.observe(state);
        await nextFact(options.signal, (resolve) => (wake = resolve), Math.min(5000, health.nextDueInMs() ?? 5000));
        continue;
      }
      if (decision.type === 'canaries-healthy' && !options.stopAtCanary) {
        // Promote per the environment's policy, or wait for someone to run `drover promote`.
        if (announced !== decision.deploymentId) {
          announced = decision.deploymentId;
          options.report({ type: 'canaries-healthy', job: target.jobId, deploymentId: decision.deploymentId, groups: decision.groups });
          if (options.progressive) {
            // Read `state` only after the await: facts keep arriving while the canary runs.
            const outcome = await options.progressive(decision.deploymentId, options.signal);
            state = afterCanary(state, outcome);
            continue;
          }
          if (options.promote) await promote(decision.deploymentId, target.jobId, options);
        }
        await nextFact(options.signal, (resolve) => (wake = resolve));
        continue;
      }
      if (decision.type === 'allocation-failed') failing = { allocId: decision.failure.allocId, allocName: decision.failure.allocName, task: decision.failure.task };
      const wait = health.explain();
      const next = await act(state.failedByDrover ? decision : withCheckCause(decision, wait), state, target, options);
      if (next.outcome) {
        if (next.outcome.status === 'failed' && options.failureLogs) {
          const culprit = failing ?? failingAllocation(state) ?? (wait ? { allocId: wait.allocId, allocName: wait.allocName, task: mainTask(state, wait.allocId, wait.group) } : undefined);
          if (culprit) await reportFailureLogs({ job: target.jobId, ...culprit }, { nomad: options.nomad, report: options.report, signal: options.signal, options: options.failureLogs });
        }
        return next.outcome;
      }
      state = next.state ?? state;
    }
  } finally {
    unsubscribe();
  }
}

/** Turns a decision into an outcome, or performs the Nomad call it requires and continues. Canaries reach here only with --stop-at-canary. */
async function act(decision: Exclude<RolloutDecision, { type: 'wait' }>, state: RolloutState, target: WatchTarget, options: WatchJobOptions): Promise<{ outcome?: JobOutcome; state?: RolloutState }> {
  const job = target.jobId;
  switch (decision.type) {
    case 'succeeded':
      return { outcome: { status: 'succeeded', version: target.version, ...(decision.deploymentId ? { deploymentId: decision.deploymentId } : {}) } };
    case 'canaries-healthy':
      options.report({ type: 'canaries-healthy', job, deploymentId: decision.deploymentId, groups: decision.groups });
      return { outcome: { status: 'awaiting-promotion', version: target.version, deploymentId: decision.deploymentId, groups: decision.groups } };
    case 'allocation-failed': {
      options.report({ type: 'allocation-failed', job, failure: decision.failure });
      if (!decision.deploymentId) return { outcome: { status: 'failed', version: target.version, reason: decision.failure.message, failure: decision.failure } };
      return { state: await failDeployment(state, decision.deploymentId, `${decision.failure.eventType}: ${decision.failure.message}`, options, job) };
    }
    case 'placement-failed': {
      const reason = `group "${decision.group}": ${decision.message}`;
      const deploymentId = decision.deploymentId ?? rolloutDeployment(state)?.ID;
      if (deploymentId && !state.failedByDrover) await failDeployment(state, deploymentId, `placement failed: ${reason}`, options, job);
      const running = await runningVersion(options.nomad, job, options.signal);
      return { outcome: { status: 'placement-failed', version: target.version, group: decision.group, reason, ...(running === undefined ? {} : { runningVersion: running }) } };
    }
    case 'deployment-failed': {
      if (decision.revertingTo !== null) {
        await nextFact(options.signal, () => undefined, 1000);
        return {};
      }
      const running = await runningVersion(options.nomad, job, options.signal);
      const reason = `${decision.cause ? `${decision.cause} → deployment failed: ` : ''}${decision.description} (not rolled back)`;
      return { outcome: { status: 'failed', version: target.version, reason, ...(running === undefined ? {} : { runningVersion: running }) } };
    }
    case 'revert-awaiting-promotion': {
      const { revert } = decision;
      options.report({ type: 'revert-awaiting-promotion', job, env: options.env, failedVersion: target.version, revertedTo: decision.revertedTo, version: revert.version, deploymentId: revert.deploymentId, groups: revert.groups });
      return {
        outcome: {
          status: 'failed',
          version: target.version,
          reason: `${decision.cause ? `${decision.cause} → deployment failed: ` : ''}${decision.failure}; reverted to version ${decision.revertedTo} (as version ${revert.version}), whose canary waits for promotion`,
          revert: { toVersion: decision.revertedTo, version: revert.version, deploymentId: revert.deploymentId },
        },
      };
    }
    case 'reverted':
      return {
        outcome: {
          status: 'failed',
          version: target.version,
          reason: `${decision.cause ? `${decision.cause} → deployment failed: ` : ''}${decision.failure}; rolled back, version ${decision.version} is ${decision.status === 'successful' ? 'running' : decision.status}`,
          runningVersion: decision.version,
        },
      };
  }
}

/**
 * A deployment Nomad failed while checks failed: the checks are the root cause (Nomad 2.0.5's own
 * `Alloc Unhealthy` text for a running task never names them), before the task events and Nomad's verdict.
 */
function withCheckCause(decision: Exclude<RolloutDecision, { type: 'wait' }>, wait: HealthWait | undefined): Exclude<RolloutDecision, { type: 'wait' }> {
  if (!wait) return decision;
  if (decision.type !== 'deployment-failed' && decision.type !== 'reverted' && decision.type !== 'revert-awaiting-promotion') return decision;
  const checks = `${wait.allocName}: ${wait.checks.map(describeCheck).join('; ')}`;
  return { ...decision, cause: decision.cause ? `${checks} → ${decision.cause}` : checks };
}

/**
 * After a progressive canary: promoted → keep watching the deployment to its end; failed → the
 * deployment was failed by drover, so follow the revert with the analysis as the reason.
 */
function afterCanary(state: RolloutState, outcome: CanaryOutcome): RolloutState {
  if (outcome.status === 'promoted') return state;
  const share = `${Number((outcome.weight * 100).toFixed(2))} %`;
  const reason = `canary analysis failed at step ${outcome.step} (${share} of traffic): ${outcome.reason}; query: ${outcome.query}`;
  return { ...state, failedByDrover: { deploymentId: outcome.deploymentId, revertedToVersion: outcome.revertedToVersion, reason } };
}

/** The task of a health wait's allocation whose output to show: the one named after its group, else the first. */
function mainTask(state: RolloutState, allocId: string, group: string): string {
  const tasks = Object.keys(state.allocations[allocId]?.TaskStates ?? {}).sort();
  return tasks.includes(group) ? group : (tasks[0] ?? group);
}

async function failDeployment(state: RolloutState, deploymentId: string, reason: string, options: WatchJobOptions, job: string): Promise<RolloutState> {
  options.report({ type: 'deployment-failing', job, deploymentId, reason });
  try {
    const response = await options.nomad.deployments.fail(deploymentId, { signal: options.signal });
    return { ...state, failedByDrover: { deploymentId, revertedToVersion: response.RevertedJobVersion, reason } };
  } catch (error) {
    // Nomad may end the deployment itself between the snapshot and this call (a real Nomad 2.0.5
    // did on a placement failure): it answers 500 "can't fail terminal deployment". The rollout's
    // outcome stands and the watch reads how the deployment ended; aborting the deploy would turn
    // a placement failure (exit 2) into an internal error (exit 1).
    if (!isTerminalDeploymentRefusal(error)) throw error;
    options.report({ type: 'job-progress', job, message: `Nomad had already ended deployment ${deploymentId.slice(0, 8)} (${error.body.trim()})` });
    return { ...state, failedByDrover: { deploymentId, revertedToVersion: null, reason } };
  }
}

function isTerminalDeploymentRefusal(error: unknown): error is ApiError & { body: string } {
  return error instanceof ApiError && error.status === 500 && typeof error.body === 'string' && error.body.includes('terminal deployment');
}

async function promote(deploymentId: string, job: string, options: WatchJobOptions): Promise<void> {
  try {
    await options.nomad.deployments.promote(deploymentId, { all: true }, { signal: options.signal });
    options.report({ type: 'deployment-promoted', job, deploymentId });
  } catch (error) {
    // A canary may turn unhealthy between the snapshot and the call: Nomad refuses (500), the
    // deployment goes on, and the watch reports whatever it ends in.
    if (!(error instanceof ApiError) || error.status === undefined) throw error;
    options.report({ type: 'job-progress', job, message: `promotion refused by Nomad: ${error.body || error.message}` });
  }
}

async function runningVersion(nomad: NomadClient, jobId: string, signal: AbortSignal): Promise<number | undefined> {
  return nomad.jobs.read(jobId, { signal }).then((r) => r.value.Version, () => undefined);
}

/** Resolves on the next fact (via `arm`), after `fallbackMs` at the latest, or rejects on abort. */
function nextFact(signal: AbortSignal, arm: (resolve: () => void) => void, fallbackMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(done, fallbackMs);
    signal.addEventListener('abort', onAbort, { once: true });
    arm(done);
  });
}
