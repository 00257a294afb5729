import type { NomadAllocMetric, NomadDeployment, NomadEvaluation } from '../wire/nomad-api.ts';
import { classifyAllocationFailure, type AllocationFailure } from './classify.ts';
import { explainRolloutFailure } from './explain.ts';
import { currentAllocations, revertDeployment, rolloutDeployment, type RolloutState } from './state.ts';

/** What the watcher should do next for one job. */
export type RolloutDecision =
  | { readonly type: 'wait'; readonly reason: string }
  | { readonly type: 'placement-failed'; readonly group: string; readonly message: string; readonly evalId: string; readonly deploymentId?: string }
  | { readonly type: 'allocation-failed'; readonly failure: AllocationFailure; readonly deploymentId?: string }
  | { readonly type: 'canaries-healthy'; readonly deploymentId: string; readonly groups: readonly string[] }
  | { readonly type: 'succeeded'; readonly deploymentId?: string }
  | { readonly type: 'deployment-failed'; readonly deploymentId: string; readonly description: string; readonly revertingTo: number | null; readonly cause?: string }
  | { readonly type: 'reverted'; readonly deploymentId: string; readonly version: number; readonly status: string; readonly failure: string; readonly cause?: string }
  /**
   * The rollout failed and Nomad's auto-revert registered the stable version `revertedTo` again as
   * `revert.version`, whose deployment waits for someone to promote its healthy canaries: Nomad
   * puts a revert through the canary phase when the job's canaries are promoted by hand
   * (hashicorp/nomad#10882). Nothing else will end that deployment.
   */
  | { readonly type: 'revert-awaiting-promotion'; readonly failure: string; readonly revertedTo: number; readonly revert: RevertAwaitingPromotion; readonly cause?: string };

/** The deployment of an auto-revert waiting for promotion. */
export interface RevertAwaitingPromotion {
  readonly deploymentId: string;
  /** The job version the revert registered (a copy of the stable one). */
  readonly version: number;
  /** Groups whose canaries wait, sorted. */
  readonly groups: readonly string[];
}

const TERMINAL = new Set(['successful', 'failed', 'cancelled']);
const ROLLBACK = /rolling back to job version (\d+)/;

/** Decides from a snapshot; pure. Order matters: unambiguous failures first, then completion. */
export function decideRollout(state: RolloutState): RolloutDecision {
  if (state.failedByDrover) return followRevert(state, state.failedByDrover);
  const placement = placementFailure(state);
  if (placement) return placement;
  const deployment = rolloutDeployment(state);
  if (!deployment || deployment.Status === 'running' || deployment.Status === 'pending' || deployment.Status === 'initializing') {
    const failed = currentAllocations(state).map(classifyAllocationFailure).find((f) => f !== undefined);
    if (failed) return { type: 'allocation-failed', failure: failed, deploymentId: deployment?.ID };
  }
  if (deployment) return decideDeployment(state, deployment);
  return decideWithoutDeployment(state);
}

function decideDeployment(state: RolloutState, deployment: NomadDeployment): RolloutDecision {
  if (deployment.Status === 'successful') return { type: 'succeeded', deploymentId: deployment.ID };
  if (deployment.Status === 'failed' || deployment.Status === 'cancelled') {
    const match = ROLLBACK.exec(deployment.StatusDescription);
    const revertingTo = match ? Number(match[1]) : null;
    const revert = revertingTo === null ? undefined : revertDeployment(state);
    // Nomad failed it (a deadline, unhealthy allocations): the root cause first, then Nomad's verdict.
    const cause = deployment.Status === 'failed' ? explainRolloutFailure(state, deployment.ID) : undefined;
    if (revert && TERMINAL.has(revert.Status)) {
      return { type: 'reverted', deploymentId: revert.ID, version: revert.JobVersion, status: revert.Status, failure: deployment.StatusDescription, ...(cause ? { cause } : {}) };
    }
    const waiting = revert ? awaitingPromotion(revert) : undefined;
    if (waiting && revertingTo !== null) return { type: 'revert-awaiting-promotion', failure: deployment.StatusDescription, revertedTo: revertingTo, revert: waiting, ...(cause ? { cause } : {}) };
    return { type: 'deployment-failed', deploymentId: deployment.ID, description: deployment.StatusDescription, revertingTo, ...(cause ? { cause } : {}) };
  }
  const awaiting = Object.entries(deployment.TaskGroups).filter(([, g]) => g.DesiredCanaries > 0 && !g.Promoted);
  if (deployment.Status === 'running' && awaiting.length > 0) {
    const healthy = awaiting.every(([, g]) => g.HealthyAllocs >= g.DesiredCanaries && g.UnhealthyAllocs === 0);
    const auto = awaiting.every(([, g]) => g.AutoPromote);
    if (healthy && !auto) return { type: 'canaries-healthy', deploymentId: deployment.ID, groups: awaiting.map(([name]) => name).sort() };
    return { type: 'wait', reason: healthy ? 'canaries healthy, Nomad promotes automatically' : 'waiting for canaries to become healthy' };
  }
  return { type: 'wait', reason: describeProgress(deployment) };
}

/**
 * "web 1/2 healthy" per group, so each change of the counters is one progress line. A job's only
 * group named like the job goes unnamed: every line already says the job ("[api] … 1/2 healthy").
 */
export function describeProgress(deployment: NomadDeployment): string {
  const groups = Object.entries(deployment.TaskGroups).sort(([a], [b]) => (a < b ? -1 : 1));
  const named = !(groups.length === 1 && groups[0]?.[0] === deployment.JobID);
  const parts = groups.map(([name, g]) => `${named ? `${name} ` : ''}${g.HealthyAllocs}/${g.DesiredTotal} healthy${g.UnhealthyAllocs ? `, ${g.UnhealthyAllocs} unhealthy` : ''}`);
  return parts.length ? `deployment ${deployment.Status}: ${parts.join(', ')}` : deployment.StatusDescription || `deployment ${deployment.Status}`;
}

/** Batch jobs finish with their allocations; system jobs without an update block have no deployment. */
function decideWithoutDeployment(state: RolloutState): RolloutDecision {
  if (state.launchesNothing) return { type: 'succeeded' }; // periodic/parameterized: nothing runs until launched
  const evaluation = state.evalId ? state.evaluations[state.evalId] : latestEvaluation(state);
  if (!evaluation || evaluation.Status !== 'complete') return { type: 'wait', reason: 'waiting for the scheduler' };
  const allocs = currentAllocations(state);
  if (state.jobType === 'service' && evaluation.DeploymentID) return { type: 'wait', reason: 'waiting for the deployment' };
  if (allocs.length === 0) return { type: 'wait', reason: 'waiting for allocations' };
  if (state.jobType === 'batch' || state.jobType === 'sysbatch') {
    if (allocs.every((a) => a.ClientStatus === 'complete')) return { type: 'succeeded' };
    return { type: 'wait', reason: `${allocs.filter((a) => a.ClientStatus === 'complete').length}/${allocs.length} allocations complete` };
  }
  if (allocs.every((a) => a.ClientStatus === 'running')) return { type: 'succeeded' };
  return { type: 'wait', reason: `${allocs.filter((a) => a.ClientStatus === 'running').length}/${allocs.length} allocations running` };
}

/** After drover failed the deployment: its own reason, then the rollback Nomad started (if any) to its end. */
function followRevert(state: RolloutState, failed: NonNullable<RolloutState['failedByDrover']>): RolloutDecision {
  const revertedTo = failed.revertedToVersion;
  const failure = failed.reason;
  if (revertedTo === null) return { type: 'deployment-failed', deploymentId: failed.deploymentId, description: `${failure}; no stable version to roll back to`, revertingTo: null };
  const revert = revertDeployment(state);
  if (revert && TERMINAL.has(revert.Status)) {
    return { type: 'reverted', deploymentId: revert.ID, version: revert.JobVersion, status: revert.Status, failure };
  }
  const waiting = revert ? awaitingPromotion(revert) : undefined;
  if (waiting) return { type: 'revert-awaiting-promotion', failure, revertedTo, revert: waiting };
  return { type: 'wait', reason: `rolling back to version ${revertedTo}` };
}

/**
 * A revert's running deployment whose canaries are all healthy and wait for a manual promotion.
 * Canaries still becoming healthy are waited for: the promotion the report asks for must be one
 * Nomad accepts, and unhealthy ones end the deployment on their own (a progress deadline).
 */
function awaitingPromotion(revert: NomadDeployment): RevertAwaitingPromotion | undefined {
  if (revert.Status !== 'running') return undefined;
  const awaiting = Object.entries(revert.TaskGroups).filter(([, g]) => g.DesiredCanaries > 0 && !g.Promoted);
  if (awaiting.length === 0 || awaiting.some(([, g]) => g.AutoPromote)) return undefined;
  if (!awaiting.every(([, g]) => g.HealthyAllocs >= g.DesiredCanaries && g.UnhealthyAllocs === 0)) return undefined;
  return { deploymentId: revert.ID, version: revert.JobVersion, groups: awaiting.map(([name]) => name).sort() };
}

function placementFailure(state: RolloutState): RolloutDecision | undefined {
  const evaluations = Object.values(state.evaluations).sort((a, b) => a.CreateIndex - b.CreateIndex);
  const failed = evaluations.find((e) => Object.keys(e.FailedTGAllocs ?? {}).length > 0 && (e.BlockedEval || e.Status === 'blocked' || e.Status === 'complete'));
  if (!failed) return undefined;
  const [group, metric] = Object.entries(failed.FailedTGAllocs).sort(([a], [b]) => (a < b ? -1 : 1))[0]!;
  return { type: 'placement-failed', group, message: describePlacementFailure(metric), evalId: failed.ID, deploymentId: deploymentOf(failed, state) };
}

function deploymentOf(evaluation: NomadEvaluation, state: RolloutState): string | undefined {
  return evaluation.DeploymentID || rolloutDeployment(state)?.ID;
}

/** "0 of 3 nodes can run it: memory exhausted on 3 nodes; constraint ${meta.storage} = ssd filtered 1" */
export function describePlacementFailure(metric: NomadAllocMetric): string {
  const reasons: string[] = [];
  for (const [dimension, count] of Object.entries(metric.DimensionExhausted ?? {})) reasons.push(`${dimension} exhausted on ${count} node${count === 1 ? '' : 's'}`);
  for (const [constraint, count] of Object.entries(metric.ConstraintFiltered ?? {})) reasons.push(`constraint ${constraint} filtered ${count} node${count === 1 ? '' : 's'}`);
  for (const [klass, count] of Object.entries(metric.ClassFiltered ?? {})) reasons.push(`class ${klass} filtered ${count}`);
  if (metric.QuotaExhausted?.length) reasons.push(`quota exhausted: ${metric.QuotaExhausted.join(', ')}`);
  const evaluated = metric.NodesEvaluated ?? 0;
  const head = `no node can run it (${evaluated} evaluated, ${metric.NodesFiltered ?? 0} filtered, ${metric.NodesExhausted ?? 0} exhausted)`;
  return reasons.length ? `${head}: ${reasons.join('; ')}` : head;
}

function latestEvaluation(state: RolloutState): NomadEvaluation | undefined {
  return Object.values(state.evaluations).sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
}
