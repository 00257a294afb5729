import { rfc3339, unixNanos } from '../json.ts';
import { current } from './encode.ts';
import { type Allocation, type Deployment, type Evaluation, type Json, type JobObject, ACTIVE_DEPLOYMENT, DEPLOYMENT_TEXT } from './model.ts';
import { rescheduleDelay } from './reschedule.ts';
import { Capacity, allocatedResources, placementMetric } from './placement.ts';
import { reconcile } from './reconcile.ts';
import type { Placement, ReconcileResult } from './reconcile-types.ts';
import type { AllocLifecycle, DeploymentHooks, SimState } from './runtime-types.ts';
import { TIMING } from './scenarios.ts';
import type { Txn } from './store.ts';

/** Evaluation fields callers choose; the rest get Nomad's defaults. */
export interface EvalSpec {
  readonly job: Pick<JobObject, 'ID' | 'Namespace' | 'Type' | 'JobModifyIndex'> & { Priority?: unknown };
  readonly triggeredBy: string;
  readonly priority?: number;
  readonly deploymentId?: string;
  readonly status?: Evaluation['Status'];
}

/** A new evaluation object (not stored yet). */
export function newEvaluation(rt: Pick<SimState, 'clock' | 'random'>, spec: EvalSpec): Evaluation {
  const now = unixNanos(rt.clock.now());
  return {
    ID: rt.random.uuid(), Namespace: spec.job.Namespace, Priority: spec.priority ?? Number(spec.job.Priority ?? 50), Type: spec.job.Type,
    TriggeredBy: spec.triggeredBy, JobID: spec.job.ID, JobModifyIndex: spec.job.JobModifyIndex, DeploymentID: spec.deploymentId ?? '',
    Status: spec.status ?? 'pending', StatusDescription: '', Wait: 0, WaitUntil: null, NextEval: '', PreviousEval: '', BlockedEval: '',
    FailedTGAllocs: null, ClassEligibility: null, EscapedComputedClass: false, QueuedAllocations: null, SnapshotIndex: 0,
    CreateIndex: 0, ModifyIndex: 0, CreateTime: now, ModifyTime: now,
  };
}

/** Whom the scheduler hands a plan's results to: the simulated client and the deployment watcher. */
export interface SchedulerPeers {
  readonly client: Pick<AllocLifecycle, 'start' | 'stop' | 'rejoin'>;
  readonly watcher: Pick<DeploymentHooks, 'watch'>;
}

/** Processes evaluations: reconcile, apply the plan as one raft entry, then complete the eval. */
export class Scheduler {
  private readonly timers = new Set<() => void>();

  constructor(
    private readonly rt: SimState,
    private readonly peers: SchedulerPeers,
  ) {}

  /** Processes `evalId` after `delayMs` of sandbox time. */
  enqueue(evalId: string, delayMs: number = TIMING.schedule): void {
    const cancel = this.rt.clock.setTimer(delayMs, () => {
      this.timers.delete(cancel);
      this.process(evalId);
    });
    this.timers.add(cancel);
  }

  /** Re-evaluates blocked evaluations after capacity was freed. */
  unblock(): void {
    const blocked = [...this.rt.store.evals.values()].filter((e) => e.Status === 'blocked');
    for (const evaluation of blocked) this.enqueue(evaluation.ID);
  }

  /** Cancels pending processing (sandbox reset/close). */
  close(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  /** Runs one evaluation now. */
  process(evalId: string): void {
    const { store } = this.rt;
    const evaluation = store.evals.get(evalId);
    if (!evaluation || (evaluation.Status !== 'pending' && evaluation.Status !== 'blocked')) return;
    const record = store.job(evaluation.Namespace, evaluation.JobID);
    const job = record ? current(record) : undefined;
    const result = this.plan(evaluation, job);
    const snapshotIndex = store.index;
    const placed = store.commit('PlanResult', (tx) => applyPlan(this.rt, tx, { evaluation, job, result }));
    store.commit('EvaluationUpdated', (tx) => this.completeEval(tx, evaluation, result, snapshotIndex));
    this.afterPlan(result, placed);
  }

  /** Computes the plan for `job` without applying it (also used by the plan endpoint). */
  plan(evaluation: Pick<Evaluation, 'Namespace' | 'JobID' | 'Priority'>, job: JobObject | undefined): ReconcileResult {
    const { store, scenarios, nodes, clock, random } = this.rt;
    const scenario = job ? scenarios.resolve(job.Namespace, job.ID, job.Version) : undefined;
    const capacity = new Capacity(nodes, [...store.allocs.values()], (a) => a.Job.TaskGroups.find((g) => g.Name === a.TaskGroup));
    return reconcile({
      job, allocs: store.allocsOf(evaluation.Namespace, evaluation.JobID), deployments: store.deploymentsOf(evaluation.Namespace, evaluation.JobID),
      nodes, capacity, now: clock.now(), newId: () => random.uuid(), evalPriority: evaluation.Priority,
      ...(scenario?.kind === 'unplaceable' ? { unplaceable: scenario.dimension ?? 'memory' } : {}),
      failedAt: (a) => this.rt.failedAt.get(a.ID) ?? Number(a.ModifyTime / 1_000_000n),
    });
  }

  private completeEval(tx: Txn, evaluation: Evaluation, result: ReconcileResult, snapshotIndex: number): void {
    const failed = Object.keys(result.failed).length > 0;
    evaluation.QueuedAllocations = result.queued;
    evaluation.FailedTGAllocs = failed ? result.failed : null;
    evaluation.DeploymentID = result.deployment?.ID ?? evaluation.DeploymentID;
    evaluation.SnapshotIndex = snapshotIndex;
    if (evaluation.Status === 'blocked' && failed) return tx.putEval(evaluation); // still blocked, re-stamped
    evaluation.Status = 'complete';
    // A completed evaluation keeps its plan's annotations (test/fixtures/recorded/nomad/get_v1_evaluation_id.json).
    evaluation.PlanAnnotations = { DesiredTGUpdates: result.desired, PreemptedAllocs: null };
    const others = this.rt.store.evalsOf(evaluation.Namespace, evaluation.JobID).filter((e) => e.Status === 'blocked' && e.ID !== evaluation.ID);
    if (failed && others.length === 0) evaluation.BlockedEval = this.blockedEval(tx, evaluation, result.failed).ID;
    // A successful placement supersedes older blocked evaluations of the job.
    if (!failed) for (const other of others) (other.Status = 'canceled', tx.putEval(other));
    tx.putEval(evaluation);
    for (const followup of result.followups) {
      const next = { ...newEvaluation(this.rt, { job: jobRef(evaluation), triggeredBy: 'failed-follow-up', priority: evaluation.Priority }), ID: followup.evalId };
      Object.assign(next, { PreviousEval: evaluation.ID, WaitUntil: rfc3339(followup.at) });
      tx.putEval(next);
      this.enqueue(next.ID, Math.max(TIMING.schedule, followup.at - this.rt.clock.now()));
    }
  }

  private blockedEval(tx: Txn, previous: Evaluation, failed: Evaluation['FailedTGAllocs']): Evaluation {
    const blocked = newEvaluation(this.rt, { job: jobRef(previous), triggeredBy: 'queued-allocs', priority: previous.Priority, status: 'blocked' });
    // Like Nomad's CreateBlockedEval: the blocked eval carries the failures and the snapshot it saw.
    Object.assign(blocked, { PreviousEval: previous.ID, StatusDescription: 'created to place remaining allocations', FailedTGAllocs: failed, SnapshotIndex: previous.SnapshotIndex });
    // and the node classes it found eligible (test/fixtures/recorded/nomad/get_v1_evaluation_id_related.json).
    blocked.ClassEligibility = Object.fromEntries(this.rt.nodes.map((n) => [`v1:${n.ID.replace(/-/g, '').slice(0, 19)}`, true]));
    tx.putEval(blocked);
    return blocked;
  }

  private afterPlan(result: ReconcileResult, placed: readonly Allocation[]): void {
    for (const { alloc } of result.stop) this.peers.client.stop(alloc.ID);
    for (const alloc of placed) this.peers.client.start(alloc.ID);
    for (const alloc of result.inPlace) this.peers.client.rejoin(alloc.ID);
    if (result.deployment) this.peers.watcher.watch(result.deployment.ID);
    if (result.stop.length > 0) this.unblock();
  }
}

/** The job fields a follow-up evaluation copies from the evaluation it follows. */
function jobRef(evaluation: Evaluation): EvalSpec['job'] {
  return { ID: evaluation.JobID, Namespace: evaluation.Namespace, Type: evaluation.Type as JobObject['Type'], JobModifyIndex: evaluation.JobModifyIndex, Priority: evaluation.Priority };
}

interface PlanContext {
  readonly evaluation: Evaluation;
  readonly job: JobObject | undefined;
  readonly result: ReconcileResult;
}

/** Applies a plan in one transaction; returns the new allocations. */
function applyPlan(rt: SimState, tx: Txn, { evaluation, job, result }: PlanContext): Allocation[] {
  for (const { deployment, description } of result.cancel) setDeploymentStatus(tx, deployment, 'cancelled', description);
  const deployment = result.deployment;
  if (deployment && result.newDeployment) tx.putDeployment(deployment);
  const joins = deployment && ACTIVE_DEPLOYMENT.has(deployment.Status) ? deployment : undefined;
  for (const { alloc, description } of result.stop) {
    alloc.DesiredStatus = 'stop';
    alloc.DesiredDescription = description;
    tx.putAlloc(alloc);
  }
  const snapshot = job ? structuredClone(job) : undefined;
  const placed = snapshot ? result.place.map((p) => placeAlloc(rt, tx, { evaluation, job: snapshot, placement: p, deployment: joins })) : [];
  for (const alloc of result.inPlace) {
    alloc.Job = snapshot!;
    if (joins?.TaskGroups[alloc.TaskGroup]) Object.assign(alloc, { DeploymentID: joins.ID, DeploymentStatus: null });
    tx.putAlloc(alloc);
  }
  for (const { alloc, evalId } of result.followups) (alloc.FollowupEvalID = evalId, tx.putAlloc(alloc));
  if (deployment && result.complete) markSuccessful(rt, tx, deployment);
  return placed;
}

function placeAlloc(rt: SimState, tx: Txn, ctx: { evaluation: Evaluation; job: JobObject; placement: Placement; deployment: Deployment | undefined }): Allocation {
  const { placement: p, job } = ctx;
  const group = job.TaskGroups.find((g) => g.Name === p.group)!;
  const inDeployment = ctx.deployment?.TaskGroups[p.group] ? ctx.deployment : undefined;
  const now = unixNanos(tx.now);
  const alloc: Allocation = {
    ID: p.id, Namespace: job.Namespace, EvalID: ctx.evaluation.ID, Name: p.name, NodeID: p.node.ID, NodeName: p.node.Name, JobID: job.ID,
    Job: job, TaskGroup: p.group, AllocatedResources: allocatedResources(group, rt.random), Metrics: placementMetric(rt.nodes, p.node),
    DesiredStatus: 'run', DesiredDescription: '', DesiredTransition: { Migrate: null, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null, MigrateDisablePlacement: null },
    ClientStatus: 'pending', ClientDescription: '', TaskStates: null, DeploymentID: inDeployment?.ID ?? '',
    DeploymentStatus: inDeployment && p.canary ? { Healthy: null, Timestamp: null, Canary: true, ModifyIndex: 0 } : null,
    PreviousAllocation: p.previous?.ID ?? '', NextAllocation: '', FollowupEvalID: '', RescheduleTracker: rescheduleTracker(p, (group.ReschedulePolicy as Json | null) ?? null, tx.now),
    CreateIndex: 0, ModifyIndex: 0, AllocModifyIndex: tx.index, CreateTime: now, ModifyTime: now,
  };
  tx.putAlloc(alloc);
  if (p.previous) (p.previous.NextAllocation = alloc.ID, tx.putAlloc(p.previous));
  return alloc;
}

function rescheduleTracker(p: Placement, policy: Json | null, now: number): Allocation['RescheduleTracker'] {
  if (!p.reschedule || !p.previous) return null;
  const prior = p.previous.RescheduleTracker?.Events ?? [];
  const delay = policy ? rescheduleDelay(policy, prior.length) : 0;
  return { Events: [...prior, { RescheduleTime: unixNanos(now), PrevAllocID: p.previous.ID, PrevNodeID: p.previous.NodeID, Delay: delay }], LastReschedule: 'ok' };
}

/** Sets a deployment's status and description in `tx`. */
export function setDeploymentStatus(tx: Txn, deployment: Deployment, status: Deployment['Status'], description: string): void {
  deployment.Status = status;
  deployment.StatusDescription = description;
  tx.putDeployment(deployment);
}

function markSuccessful(rt: SimState, tx: Txn, deployment: Deployment): void {
  setDeploymentStatus(tx, deployment, 'successful', DEPLOYMENT_TEXT.successful);
  // A successful deployment marks its job version stable (plan applier's updateJobStability).
  const version = rt.store.job(deployment.Namespace, deployment.JobID)?.versions.find((v) => v.Version === deployment.JobVersion);
  if (version && version.CreateIndex === deployment.JobCreateIndex && !version.Stable) (version.Stable = true, tx.touchJob(version));
}
