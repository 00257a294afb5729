import { unixNanos } from '../json.ts';
import { type AllocMetric, type Allocation, type Deployment, type DeploymentState, type JobObject, ACTIVE_DEPLOYMENT, DEPLOYMENT_TEXT, isTerminal } from './model.ts';
import { emptyUpdates, planGroup } from './group-planner.ts';
import { analyzeGroup, type GroupAnalysis, type GroupPlan } from './reconcile-group.ts';
import type { DesiredUpdates, Placement, ReconcileInput, ReconcileResult } from './reconcile-types.ts';
import { bool, groupUpdate, num } from './spec.ts';

/**
 * The simulator's reconciler: a pure function from (job, allocations, deployments) to a plan,
 * following Nomad's update semantics (nomad.md §4, §9.5): placements fill missing slots at once,
 * destructive updates go in batches of MaxParallel minus not-yet-healthy allocations, canaries
 * first when `Canary > 0`, nothing destructive while unpromoted or after the deployment failed.
 */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const { job } = input;
  const runAllocs = input.allocs.filter((a) => a.DesiredStatus === 'run');
  if (!job || job.Stop) return stopEverything(input, runAllocs);

  const latest = [...input.deployments].sort((a, b) => b.CreateIndex - a.CreateIndex);
  const existing = latest.find((d) => d.JobVersion === job.Version && d.JobCreateIndex === job.CreateIndex);
  const cancel = latest
    .filter((d) => d !== existing && ACTIVE_DEPLOYMENT.has(d.Status))
    .map((deployment) => ({ deployment, description: DEPLOYMENT_TEXT.newerJob }));

  const groups = job.TaskGroups.map((g) => String(g.Name));
  const inputs = new Map(groups.map((name) => [name, { ...input, job, group: name, allocs: runAllocs }]));
  const analyses = new Map(groups.map((name) => [name, analyzeGroup(inputs.get(name)!)]));
  const deployment = existing ?? newDeployment(input, job, analyses);
  const plans = new Map(groups.map((name) => [name, planGroup(inputs.get(name)!, analyses.get(name)!, deployment)]));

  const removed = runAllocs.filter((a) => !groups.includes(a.TaskGroup) && !isTerminal(a));
  const result = merge(plans, removed);
  return {
    ...result,
    deployment,
    newDeployment: deployment !== undefined && deployment !== existing,
    cancel,
    complete: deployment !== undefined && deployment.Status === 'running' && isComplete(deployment, plans),
  };
}

function stopEverything(input: ReconcileInput, runAllocs: readonly Allocation[]): ReconcileResult {
  const stop = runAllocs.map((alloc) => ({ alloc, description: 'alloc not needed due to job update' }));
  const desired: Record<string, DesiredUpdates> = {};
  for (const { alloc } of stop) (desired[alloc.TaskGroup] ??= emptyUpdates()).Stop++;
  return {
    place: [], stop, inPlace: [], deployment: undefined, newDeployment: false, complete: false, desired, failed: {}, queued: {}, followups: [],
    cancel: input.deployments.filter((d) => ACTIVE_DEPLOYMENT.has(d.Status)).map((deployment) => ({ deployment, description: DEPLOYMENT_TEXT.stopped })),
  };
}

/** A deployment is created for a new job version with something to do in a group that has `MaxParallel > 0`. */
function newDeployment(input: ReconcileInput, job: JobObject, drafts: ReadonlyMap<string, GroupAnalysis>): Deployment | undefined {
  if (job.Type !== 'service' && job.Type !== 'system') return undefined;
  const groups: Record<string, DeploymentState> = {};
  let work = false;
  for (const [name, draft] of drafts) {
    const update = groupUpdate(job, name);
    if (num(update, 'MaxParallel') <= 0) continue;
    work ||= draft.hasWork;
    const canaries = job.Type === 'service' && draft.destructiveCandidates > 0 ? num(update, 'Canary') : 0;
    groups[name] = {
      AutoRevert: bool(update, 'AutoRevert'), AutoPromote: bool(update, 'AutoPromote'), ProgressDeadline: num(update, 'ProgressDeadline'),
      RequireProgressBy: null, Promoted: false, PlacedCanaries: null, DesiredCanaries: canaries, DesiredTotal: draft.desiredTotal,
      PlacedAllocs: 0, HealthyAllocs: 0, UnhealthyAllocs: 0,
    };
  }
  if (!work || Object.keys(groups).length === 0) return undefined;
  const now = unixNanos(input.now);
  return {
    ID: input.newId(), Namespace: job.Namespace, JobID: job.ID, JobVersion: job.Version, JobModifyIndex: job.JobModifyIndex,
    JobSpecModifyIndex: job.JobModifyIndex, JobCreateIndex: job.CreateIndex, IsMultiregion: false, TaskGroups: groups,
    Status: 'running', StatusDescription: runningDescription(groups), EvalPriority: input.evalPriority,
    CreateIndex: 0, ModifyIndex: 0, CreateTime: now, ModifyTime: now,
  };
}

/** `Deployment is running`, or the promotion variants while canaries wait. */
export function runningDescription(groups: Record<string, DeploymentState>): string {
  const waiting = Object.values(groups).filter((g) => g.DesiredCanaries > 0 && !g.Promoted);
  if (waiting.length === 0) return DEPLOYMENT_TEXT.running;
  return waiting.every((g) => g.AutoPromote) ? DEPLOYMENT_TEXT.autoPromotion : DEPLOYMENT_TEXT.needsPromotion;
}

function isComplete(deployment: Deployment, plans: ReadonlyMap<string, GroupPlan>): boolean {
  for (const [name, state] of Object.entries(deployment.TaskGroups)) {
    const plan = plans.get(name);
    if (!plan || plan.hasWork || plan.remainingOld > 0) return false;
    if (state.DesiredCanaries > 0 && !state.Promoted) return false;
    if (state.HealthyAllocs < Math.max(state.DesiredTotal, state.DesiredCanaries)) return false;
  }
  return true;
}

function merge(plans: ReadonlyMap<string, GroupPlan>, removed: readonly Allocation[]) {
  const place: Placement[] = [];
  const stop: { alloc: Allocation; description: string }[] = removed.map((alloc) => ({ alloc, description: 'alloc not needed due to job update' }));
  const inPlace: Allocation[] = [];
  const desired: Record<string, DesiredUpdates> = {};
  const failed: Record<string, AllocMetric> = {};
  const queued: Record<string, number> = {};
  const followups: ReconcileResult['followups'][number][] = [];
  for (const [name, plan] of plans) {
    place.push(...plan.place);
    stop.push(...plan.stop);
    inPlace.push(...plan.inPlace);
    followups.push(...plan.followups);
    desired[name] = plan.desired;
    queued[name] = plan.failures;
    if (plan.failedMetric) failed[name] = plan.failedMetric;
  }
  for (const alloc of removed) (desired[alloc.TaskGroup] ??= emptyUpdates()).Stop++;
  return { place, stop, inPlace, desired, failed, queued, followups };
}
