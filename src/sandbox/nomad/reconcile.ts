import { unixNanos } from '../json.ts';
import { type AllocMetric, type Allocation, type Deployment, type DeploymentState, type JobObject, type SimNode, ACTIVE_DEPLOYMENT, DEPLOYMENT_TEXT, isTerminal } from './model.ts';
import type { Capacity, Exhausted } from './placement.ts';
import { planGroup } from './group-planner.ts';
import { analyzeGroup, type GroupAnalysis, type GroupPlan } from './reconcile-group.ts';
import { bool, groupUpdate, num } from './spec.ts';

/** `DesiredUpdates` of one task group (plan annotations, nomad.md §3.4). */
export interface DesiredUpdates {
  Ignore: number;
  Place: number;
  Migrate: number;
  Stop: number;
  InPlaceUpdate: number;
  DestructiveUpdate: number;
  Canary: number;
  Preemptions: number;
  Disconnect: number;
  Reconnect: number;
  RescheduleNow: number;
  RescheduleLater: number;
}

/** A new allocation the plan places. */
export interface Placement {
  readonly id: string;
  readonly group: string;
  readonly name: string;
  readonly node: SimNode;
  readonly canary: boolean;
  readonly previous?: Allocation;
  readonly reschedule: boolean;
}

/** Everything one evaluation decides for a job; applied by the scheduler or shown by plan. */
export interface ReconcileResult {
  readonly place: Placement[];
  readonly stop: { readonly alloc: Allocation; readonly description: string }[];
  readonly inPlace: Allocation[];
  readonly deployment: Deployment | undefined;
  readonly newDeployment: boolean;
  readonly cancel: { readonly deployment: Deployment; readonly description: string }[];
  readonly complete: boolean;
  readonly desired: Record<string, DesiredUpdates>;
  readonly failed: Record<string, AllocMetric>;
  readonly queued: Record<string, number>;
  readonly followups: { readonly alloc: Allocation; readonly at: number; readonly evalId: string }[];
}

/** Inputs of {@link reconcile}. */
export interface ReconcileInput {
  /** Current job version; undefined when the job was purged. */
  readonly job: JobObject | undefined;
  readonly allocs: readonly Allocation[];
  readonly deployments: readonly Deployment[];
  readonly nodes: readonly SimNode[];
  readonly capacity: Capacity;
  readonly now: number;
  readonly newId: () => string;
  readonly evalPriority: number;
  /** Scenario: every placement fails on this dimension. */
  readonly unplaceable?: Exhausted;
  /** When an allocation failed or was found unhealthy (sandbox ms). */
  readonly failedAt: (alloc: Allocation) => number;
}

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

/** All-zero `DesiredUpdates`. */
export function emptyUpdates(): DesiredUpdates {
  return { Ignore: 0, Place: 0, Migrate: 0, Stop: 0, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 0, Preemptions: 0, Disconnect: 0, Reconnect: 0, RescheduleNow: 0, RescheduleLater: 0 };
}
